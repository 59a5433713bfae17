import { router } from "../../init.ts";
import { handoffChatProcedure } from "./handoff.ts";
import { chatHistoryProcedure } from "./history.ts";
import { replyChatProcedure } from "./reply.ts";
import { sendChatProcedure } from "./send.ts";
import { startChatProcedure } from "./start.ts";

export const chatRouter = router({
  start: startChatProcedure,
  send: sendChatProcedure,
  history: chatHistoryProcedure,
  reply: replyChatProcedure,
  handoff: handoffChatProcedure,
});

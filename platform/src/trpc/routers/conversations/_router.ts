import { router } from "../../init.ts";
import { exportConversationProcedure } from "./export.ts";
import { getConversationProcedure } from "./get.ts";
import { listConversationsProcedure } from "./list.ts";
import { removeConversationProcedure } from "./remove.ts";

export const conversationsRouter = router({
  list: listConversationsProcedure,
  get: getConversationProcedure,
  export: exportConversationProcedure,
  remove: removeConversationProcedure,
});

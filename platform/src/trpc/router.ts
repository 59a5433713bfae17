import { router } from "./init.ts";
import { agentsRouter } from "./routers/agents/_router.ts";
import { authRouter } from "./routers/auth/_router.ts";
import { chatRouter } from "./routers/chat/_router.ts";
import { conversationsRouter } from "./routers/conversations/_router.ts";
import { creditsRouter } from "./routers/credits/_router.ts";
import { settingsRouter } from "./routers/settings/_router.ts";
import { trialsRouter } from "./routers/trials/_router.ts";
import { keysRouter } from "./routers/keys/_router.ts";
import { knowledgeRouter } from "./routers/knowledge/_router.ts";
import { tenantRouter } from "./routers/tenant/_router.ts";
import { widgetRouter } from "./routers/widget/_router.ts";

export const appRouter = router({
  agents: agentsRouter,
  auth: authRouter,
  chat: chatRouter,
  conversations: conversationsRouter,
  credits: creditsRouter,
  settings: settingsRouter,
  trials: trialsRouter,
  keys: keysRouter,
  knowledge: knowledgeRouter,
  tenant: tenantRouter,
  widget: widgetRouter,
});

export type AppRouter = typeof appRouter;

import { router } from "./init.ts";
import { agentsRouter } from "./routers/agents/_router.ts";
import { auditRouter } from "./routers/audit/_router.ts";
import { authRouter } from "./routers/auth/_router.ts";
import { billingRouter } from "./routers/billing/_router.ts";
import { chatRouter } from "./routers/chat/_router.ts";
import { conversationsRouter } from "./routers/conversations/_router.ts";
import { creditsRouter } from "./routers/credits/_router.ts";
import { houseRouter } from "./routers/house/_router.ts";
import { settingsRouter } from "./routers/settings/_router.ts";
import { trialsRouter } from "./routers/trials/_router.ts";
import { keysRouter } from "./routers/keys/_router.ts";
import { knowledgeRouter } from "./routers/knowledge/_router.ts";
import { tenantRouter } from "./routers/tenant/_router.ts";
import { teamRouter } from "./routers/team/_router.ts";
import { usageRouter } from "./routers/usage/_router.ts";
import { widgetRouter } from "./routers/widget/_router.ts";

export const appRouter = router({
  agents: agentsRouter,
  audit: auditRouter,
  auth: authRouter,
  billing: billingRouter,
  chat: chatRouter,
  conversations: conversationsRouter,
  credits: creditsRouter,
  house: houseRouter,
  settings: settingsRouter,
  trials: trialsRouter,
  keys: keysRouter,
  knowledge: knowledgeRouter,
  tenant: tenantRouter,
  team: teamRouter,
  usage: usageRouter,
  widget: widgetRouter,
});

export type AppRouter = typeof appRouter;

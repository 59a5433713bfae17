import { router } from "./init.ts";
import { authRouter } from "./routers/auth/_router.ts";
import { keysRouter } from "./routers/keys/_router.ts";
import { tenantRouter } from "./routers/tenant/_router.ts";
import { widgetRouter } from "./routers/widget/_router.ts";

export const appRouter = router({
  auth: authRouter,
  keys: keysRouter,
  tenant: tenantRouter,
  widget: widgetRouter,
});

export type AppRouter = typeof appRouter;

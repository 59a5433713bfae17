import { storedHouseKey } from "../../../keys/embedded.ts";
import { publicProcedure } from "../../procedures.ts";

/** The platform's own widget, for the portal's public pages: its publishable key (public by design), or null. */
export const houseWidgetProcedure = publicProcedure.query(async ({ ctx }) => ({ publishableKey: await storedHouseKey(ctx.deps.db) }));

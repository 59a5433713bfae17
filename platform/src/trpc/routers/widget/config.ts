import { visitorProcedure } from "../../procedures.ts";

/** What the widget needs to draw itself; grows with the widget issue. */
export const widgetConfigProcedure = visitorProcedure.query(({ ctx }) => ({
  tenant: { name: ctx.tenant.name },
  mode: ctx.key.mode,
}));

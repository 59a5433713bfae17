import { visitorProcedure } from "../../procedures.ts";

/**
 * What the widget needs to draw itself: the same object as GET /widget/config (http/widget.ts), from the same cache.
 * The loader uses that plain GET (one cacheable request, no preflight); this query serves clients already speaking tRPC.
 */
export const widgetConfigProcedure = visitorProcedure.query(
  async ({ ctx }) => (await ctx.deps.widgetConfigs.forKey(ctx.key, await ctx.deps.settings.get(ctx.tenant.id))).value,
);

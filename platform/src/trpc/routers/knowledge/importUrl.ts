import { z } from "zod";
import { importUrl } from "../../../knowledge/service.ts";
import { tenantOrAdminProcedure } from "../../procedures.ts";
import { documentOutput } from "./schemas.ts";

export const importUrlProcedure = tenantOrAdminProcedure
  .meta({
    tier: "tenant-or-admin",
    rest: { method: "POST", path: "/knowledge/import", summary: "Import a public page, or the pages of a sitemap: {url, sitemap?}" },
  })
  .input(z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2048), sitemap: z.boolean().default(false) }))
  .output(
    z.object({ documents: z.array(documentOutput.extend({ duplicate: z.boolean() })), failed: z.array(z.object({ url: z.string(), error: z.string() })) }),
  )
  .mutation(({ ctx, input }) => importUrl(ctx.deps, ctx.actor, ctx.tenant.id, input, ctx.deps.fetchPolicy));

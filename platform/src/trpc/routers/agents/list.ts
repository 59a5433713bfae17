import { z } from "zod";
import { agentCatalogue } from "../../../agents/catalogue.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { agentIdField } from "./schemas.ts";

export const listAgentsProcedure = tenantOrMemberProcedure
  .meta({
    tier: "tenant-or-member",
    rest: { method: "GET", path: "/agents", summary: "The ten agents: price in credits, whether enabled, and the input each takes (JSON Schema)" },
  })
  .output(
    z.object({
      agents: z.array(
        z.object({
          id: agentIdField,
          name: z.string(),
          description: z.string(),
          credits: z.int(),
          enabled: z.boolean(),
          inputSchema: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
  )
  .query(async ({ ctx }) => ({ agents: await agentCatalogue(ctx.deps.settings, ctx.tenant.id) }));

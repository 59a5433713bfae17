import { z } from "zod";
import { keyMode } from "@bizbot/shared";
import { tenantProcedure } from "../../procedures.ts";

/** The calling key's tenant, and the key's mode: what a server checks first with a new key. */
export const getTenantProcedure = tenantProcedure
  .meta({ tier: "tenant", rest: { method: "GET", path: "/tenant", summary: "The tenant of the calling secret key" } })
  .output(z.object({ id: z.string(), name: z.string(), mode: keyMode }))
  .query(({ ctx }) => ({ id: ctx.tenant.id, name: ctx.tenant.name, mode: ctx.key.mode }));

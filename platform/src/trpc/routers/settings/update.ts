import { z } from "zod";
import { chatSettingsInput, rateLimitsInput, trialRunsInput } from "../../../tenants/settings.ts";
import { adminProcedure } from "../../procedures.ts";

export const updateSettingsProcedure = adminProcedure
  .input(z.strictObject({ rateLimits: rateLimitsInput.optional(), trialRuns: trialRunsInput.optional(), chat: chatSettingsInput.optional() }))
  .mutation(({ ctx, input }) => ctx.deps.settings.update(ctx.actor, ctx.tenant.id, input));

import { z } from "zod";
import {
  agentSettingsInput,
  chatSettingsInput,
  escalationRulesInput,
  rateLimitsInput,
  retentionSettingsInput,
  trialRunsInput,
  widgetSettingsInput,
} from "../../../tenants/settings.ts";
import { adminProcedure } from "../../procedures.ts";

export const updateSettingsProcedure = adminProcedure
  .input(
    z.strictObject({
      rateLimits: rateLimitsInput.optional(),
      trialRuns: trialRunsInput.optional(),
      chat: chatSettingsInput.optional(),
      agents: agentSettingsInput.optional(),
      escalationRules: escalationRulesInput.nullable().optional(),
      widget: widgetSettingsInput.optional(),
      retention: retentionSettingsInput.optional(),
    }),
  )
  .mutation(({ ctx, input }) => ctx.deps.settings.update(ctx.actor, ctx.tenant.id, input));

import { memberProcedure } from "../../procedures.ts";

export const getSettingsProcedure = memberProcedure.query(({ ctx }) => ctx.deps.settings.get(ctx.tenant.id));

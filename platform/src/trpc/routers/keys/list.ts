import { listKeys } from "../../../keys/service.ts";
import { adminProcedure } from "../../procedures.ts";

export const listKeysProcedure = adminProcedure.query(({ ctx }) => listKeys(ctx.deps, ctx.tenant.id));

import { listKeys } from "../../../keys/service.ts";
import { memberProcedure } from "../../procedures.ts";

/** Every member may see the keys (their prefixes, origins and use, never a whole key); owners and admins change them. */
export const listKeysProcedure = memberProcedure.query(({ ctx }) => listKeys(ctx.deps, ctx.tenant.id));

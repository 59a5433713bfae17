import { router } from "../../init.ts";
import { currentTenantProcedure } from "./current.ts";
import { deleteTenantProcedure } from "./delete.ts";
import { getTenantProcedure } from "./get.ts";
import { renameTenantProcedure } from "./rename.ts";

export const tenantRouter = router({
  get: getTenantProcedure,
  current: currentTenantProcedure,
  rename: renameTenantProcedure,
  delete: deleteTenantProcedure,
});

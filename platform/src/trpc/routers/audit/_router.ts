import { router } from "../../init.ts";
import { auditActionsProcedure } from "./actions.ts";
import { listAuditProcedure } from "./list.ts";

export const auditRouter = router({ list: listAuditProcedure, actions: auditActionsProcedure });

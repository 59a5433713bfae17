import { router } from "../../init.ts";
import { trialStatusProcedure } from "./status.ts";

export const trialsRouter = router({ status: trialStatusProcedure });

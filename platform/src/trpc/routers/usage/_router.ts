import { router } from "../../init.ts";
import { summaryProcedure } from "./summary.ts";

export const usageRouter = router({ summary: summaryProcedure });

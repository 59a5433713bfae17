import { router } from "../../init.ts";
import { runEventsProcedure } from "./events.ts";
import { getRunProcedure } from "./get.ts";
import { listAgentsProcedure } from "./list.ts";
import { listRunsProcedure } from "./listRuns.ts";
import { runAgentProcedure } from "./run.ts";
import { startRunProcedure } from "./start.ts";

export const agentsRouter = router({
  list: listAgentsProcedure,
  run: runAgentProcedure,
  start: startRunProcedure,
  getRun: getRunProcedure,
  listRuns: listRunsProcedure,
  events: runEventsProcedure,
});

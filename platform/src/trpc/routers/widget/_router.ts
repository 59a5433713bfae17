import { router } from "../../init.ts";
import { widgetAgentsProcedure } from "./agents.ts";
import { widgetConfigProcedure } from "./config.ts";
import { widgetPreviewKeyProcedure } from "./previewKey.ts";
import { widgetRunAgentProcedure } from "./runAgent.ts";
import { widgetRunEventsProcedure } from "./runEvents.ts";
import { widgetRunProcedure, widgetRunsProcedure } from "./runs.ts";

export const widgetRouter = router({
  config: widgetConfigProcedure,
  previewKey: widgetPreviewKeyProcedure,
  agents: widgetAgentsProcedure,
  runAgent: widgetRunAgentProcedure,
  runEvents: widgetRunEventsProcedure,
  runs: widgetRunsProcedure,
  run: widgetRunProcedure,
});

import { router } from "../../init.ts";
import { widgetConfigProcedure } from "./config.ts";

export const widgetRouter = router({ config: widgetConfigProcedure });

import { router } from "../../init.ts";
import { houseWidgetProcedure } from "./widget.ts";

export const houseRouter = router({ widget: houseWidgetProcedure });

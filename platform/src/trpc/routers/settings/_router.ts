import { router } from "../../init.ts";
import { chatSecretsProcedure } from "./chatSecrets.ts";
import { getSettingsProcedure } from "./get.ts";
import { updateSettingsProcedure } from "./update.ts";

export const settingsRouter = router({ get: getSettingsProcedure, update: updateSettingsProcedure, chatSecrets: chatSecretsProcedure });

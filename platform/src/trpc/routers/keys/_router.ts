import { router } from "../../init.ts";
import { createKeyProcedure } from "./create.ts";
import { listKeysProcedure } from "./list.ts";
import { revokeKeyProcedure } from "./revoke.ts";
import { rollKeyProcedure } from "./roll.ts";
import { updateKeyProcedure } from "./update.ts";

export const keysRouter = router({
  list: listKeysProcedure,
  create: createKeyProcedure,
  revoke: revokeKeyProcedure,
  roll: rollKeyProcedure,
  update: updateKeyProcedure,
});

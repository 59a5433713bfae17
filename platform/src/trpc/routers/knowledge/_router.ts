import { router } from "../../init.ts";
import { createDocumentProcedure } from "./create.ts";
import { listDocumentsProcedure } from "./list.ts";
import { removeDocumentProcedure } from "./remove.ts";
import { searchProcedure } from "./search.ts";
import { updateDocumentProcedure } from "./update.ts";

export const knowledgeRouter = router({
  list: listDocumentsProcedure,
  create: createDocumentProcedure,
  update: updateDocumentProcedure,
  remove: removeDocumentProcedure,
  search: searchProcedure,
});

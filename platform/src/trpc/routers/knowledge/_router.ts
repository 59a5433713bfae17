import { router } from "../../init.ts";
import { createDocumentProcedure } from "./create.ts";
import { importUrlProcedure } from "./importUrl.ts";
import { listDocumentsProcedure } from "./list.ts";
import { removeDocumentProcedure } from "./remove.ts";
import { searchProcedure } from "./search.ts";
import { updateDocumentProcedure } from "./update.ts";

export const knowledgeRouter = router({
  list: listDocumentsProcedure,
  create: createDocumentProcedure,
  importUrl: importUrlProcedure,
  update: updateDocumentProcedure,
  remove: removeDocumentProcedure,
  search: searchProcedure,
});

import { search } from "../../../knowledge/search.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { searchInput, searchOutput } from "./schemas.ts";

/** Ranked passages for a question: the portal's "try a question" and servers' own retrieval. */
export const searchProcedure = tenantOrMemberProcedure
  .meta({ tier: "tenant-or-member", rest: { method: "POST", path: "/knowledge/search", summary: "Ranked passages for {query, limit <= 50}" } })
  .input(searchInput)
  .output(searchOutput)
  .mutation(({ ctx, input }) => search(ctx.deps, ctx.tenant.id, input.query, input.limit));

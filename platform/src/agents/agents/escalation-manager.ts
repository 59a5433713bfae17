import { z } from "zod";
import { type AgentContext, defineAgent } from "../definition.ts";
import { UnfitAnswer } from "../model.ts";
import { byteLength, clip, fencedWithin } from "../prompt.ts";
import { maskSecrets } from "../secrets/mask.ts";
import { DEFAULT_RULES } from "./escalation/defaults.ts";
import { decide, type Routing, routeTicket, type Ticket, type TieBreak } from "./escalation/route.ts";

// Worst case per call: 16,000 prompt bytes × $2.5e-6 + 400 output tokens × $1e-5 = $0.044; a call and its repair stay
// under the $0.12 cap of a 6-credit run. Only a tie calls the model; every other ticket costs nothing.
const LIMITS = { calls: 2, maxPromptBytes: 16_000, maxOutputTokens: 400 };

const SUBJECT_BYTES = 600;
const FINDINGS_BYTES = 6000;
/** Enough of a team's keywords to show the model what it handles. */
const KEYWORDS_SHOWN = 20;
const REASON_CHARS = 300;

const JOB = `You break a tie in a business's ticket routing. Its rules scored the teams in <findings> equally for the ticket in <input>. Choose the one team whose work the ticket is most about, by its id, from those teams only, and give the reason in one short sentence that names what in the ticket decided it.`;

const tieAnswer = (ids: readonly string[]) => z.object({ team: z.enum(ids as [string, ...string[]]), reason: z.string().min(1) });

export const escalationManager = defineAgent({
  id: "escalation-manager",
  limits: LIMITS,
  cache: false,
  async run(input, ctx) {
    ctx.step("Applying the routing rules");
    const rules = ctx.settings.escalationRules;
    const routing = routeTicket(input, rules ?? DEFAULT_RULES, { builtIn: rules === null, at: input.receivedAt ? new Date(input.receivedAt) : new Date() });
    if (routing.team !== null) return decide(routing);
    ctx.step("Breaking a tie between teams");
    return decide(routing, await breakTie(ctx, routing, input));
  },
});

async function breakTie(ctx: AgentContext, routing: Routing, ticket: Ticket): Promise<TieBreak> {
  const schema = tieAnswer(routing.tied.map((s) => s.team.id));
  const teams = routing.tied
    .map(
      (s) =>
        `${s.team.id} | ${s.team.name} | matched: ${s.keywords.map((k) => `"${k}"`).join(", ") || "none"}${s.category ? ` and category "${s.category}"` : ""} | its keywords: ${s.team.keywords.slice(0, KEYWORDS_SHOWN).join(", ")}`,
    )
    .join("\n");
  const findings = fencedWithin("findings", teams, FINDINGS_BYTES);
  const [subject, message] = await maskSecrets([ticket.subject ?? "", ticket.message]);
  const head = [ticket.subject ? `Subject: ${clip(subject!, SUBJECT_BYTES)}` : null, ticket.category ? `Category: ${ticket.category}` : null]
    .filter(Boolean)
    .join("\n");
  const prefix = `${head}${head ? "\n" : ""}Message:\n`;
  const ticketText = fencedWithin("input", prefix + message, ctx.model.room(JOB, schema) - byteLength(findings) - 1);

  try {
    const answer = await ctx.model.json({ job: JOB, prompt: `${findings}\n${ticketText}`, schema });
    const reason = answer.reason.length > REASON_CHARS ? `${answer.reason.slice(0, REASON_CHARS - 1)}…` : answer.reason;
    return { by: "model", team: answer.team, reason };
  } catch (error) {
    // An answer that names no tied team, even after its repair, leaves the tie to the rules' order; failures of the
    // model itself (unavailable, over budget) are the run's.
    if (error instanceof UnfitAnswer) return { by: "rules" };
    throw error;
  }
}

import type { auditAgentOutput } from "@bizbot/shared";
import type { z } from "zod";
import type { Checklist } from "./control.ts";
import type { ControlResult, ControlStatus } from "./evaluate.ts";

export type Risk = z.output<typeof auditAgentOutput>["controls"][number]["risk"];

/** The model's reading of one control; its status stays the rules'. */
export interface ControlReview {
  id: string;
  risk: Risk;
  gap: string | null;
  recommendation: string | null;
}

export type ControlRow = ControlResult & Omit<ControlReview, "id">;

/** For a control the model left out: the risk its status implies. */
export const DEFAULT_RISK: Record<ControlStatus, Risk> = { not_met: "high", no_evidence: "medium", partial: "medium", met: "low" };

const DEFAULT_GAP: Record<ControlStatus, string | null> = {
  met: null,
  partial: "The evidence shows this control only partly in place.",
  not_met: "The evidence shows this control is not in place.",
  no_evidence: "The evidence says nothing about this control.",
};

/**
 * The model's reviews by control (the first one where it named a control twice), and the controls to ask again for:
 * those it left out or named more than once.
 */
export function coverage(ids: readonly string[], reviews: readonly ControlReview[]): { byId: Map<string, ControlReview>; retry: string[] } {
  const byId = new Map<string, ControlReview>();
  const twice = new Set<string>();
  for (const review of reviews) {
    if (byId.has(review.id)) twice.add(review.id);
    else byId.set(review.id, review);
  }
  return { byId, retry: ids.filter((id) => !byId.has(id) || twice.has(id)) };
}

/** One row per control, in the checklist's order: the rules' status and excerpt, the model's review or the defaults. */
export function controlRows(checklist: Checklist, results: readonly ControlResult[], reviews: ReadonlyMap<string, ControlReview>): ControlRow[] {
  return checklist.controls.map((control, i) => {
    const result = results[i]!;
    const review = reviews.get(control.id);
    if (review) return { ...result, risk: review.risk, gap: review.gap, recommendation: review.recommendation };
    const met = result.status === "met";
    return { ...result, risk: DEFAULT_RISK[result.status], gap: DEFAULT_GAP[result.status], recommendation: met ? null : control.recommendation };
  });
}

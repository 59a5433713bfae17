import type { priorities } from "@bizbot/shared";
import { findWords } from "./words.ts";

export type Priority = (typeof priorities)[number];

/** Urgent words when the rules list none. */
export const BUILT_IN_URGENT = ["urgent", "asap", "emergency", "critical", "immediately", "right away"];

/** Words of a service that is down or data at risk: with an urgent word they make a ticket P1. */
export const OUTAGE_WORDS = [
  "down",
  "outage",
  "offline",
  "unavailable",
  "unreachable",
  "cannot access",
  "can't access",
  "can not access",
  "unable to access",
  "breach",
  "breached",
  "data loss",
  "lost data",
  "crashed",
  "crashing",
];

/** Words of a question or a wish rather than a problem: such a ticket is P4 unless something is urgent or down. */
export const REQUEST_WORDS = [
  "feature request",
  "suggestion",
  "would be nice",
  "wish list",
  "enhancement",
  "how do i",
  "how can i",
  "how to",
  "is it possible",
  "question",
  "wondering",
  "could you add",
  "roadmap",
];

export interface PriorityReading {
  priority: Priority;
  urgent: string[];
  outage: string[];
  request: string[];
}

/**
 * The priority the words of a ticket give it: P1 an urgent word with an outage word, P2 an urgent word alone, P4 a
 * question or feature request with neither an urgent nor an outage word, P3 anything else.
 */
export function priorityOf(text: string, urgentWords: readonly string[]): PriorityReading {
  const urgent = findWords(text, urgentWords);
  const outage = findWords(text, OUTAGE_WORDS);
  const request = findWords(text, REQUEST_WORDS);
  const priority = urgent.length > 0 ? (outage.length > 0 ? "P1" : "P2") : request.length > 0 && outage.length === 0 ? "P4" : "P3";
  return { priority, urgent, outage, request };
}

/** One step more urgent, never above P1. */
export const raised = (priority: Priority): Priority => (priority === "P1" ? "P1" : (`P${Number(priority[1]) - 1}` as Priority));

/** The VIP entry that names this customer: the address itself, or `@` and its domain. Case does not matter. */
export function vipEntry(email: string | undefined, vip: readonly string[]): string | null {
  if (!email) return null;
  const address = email.trim().toLowerCase();
  const domain = address.slice(address.lastIndexOf("@"));
  return vip.find((entry) => entry.toLowerCase() === address || entry.toLowerCase() === domain) ?? null;
}

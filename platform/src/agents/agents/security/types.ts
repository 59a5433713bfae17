import type { Severity } from "../../secrets/types.ts";

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** Lower is worse: sorts critical first. */
export const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);

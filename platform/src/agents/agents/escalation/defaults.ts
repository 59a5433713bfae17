import type { EscalationRules } from "@bizbot/shared";
import { BUILT_IN_URGENT } from "./priority.ts";

/** The rules a tenant that has configured none is routed by: four common teams, no hours, no VIPs. */
export const DEFAULT_RULES: EscalationRules = {
  teams: [
    {
      id: "support",
      name: "Customer Support",
      keywords: ["help", "account", "login", "log in", "sign in", "password reset", "profile", "settings", "question"],
      categories: ["general", "support", "account"],
    },
    {
      id: "billing",
      name: "Billing",
      keywords: ["invoice", "billing", "billed", "charge", "charged", "refund", "payment", "subscription", "credit card", "receipt", "pricing", "cancel"],
      categories: ["billing", "payments"],
    },
    {
      id: "technical",
      name: "Technical Support",
      keywords: ["error", "bug", "crash", "crashed", "down", "outage", "api", "integration", "timeout", "not working", "broken", "slow", "sync"],
      categories: ["technical", "bug", "outage"],
    },
    {
      id: "security",
      name: "Security",
      keywords: ["breach", "hacked", "phishing", "vulnerability", "unauthorized", "suspicious", "compromised", "leak", "leaked", "malware"],
      categories: ["security", "abuse"],
    },
  ],
  defaultTeam: "support",
  afterHoursTeam: null,
  vip: [],
  businessHours: null,
  urgentKeywords: BUILT_IN_URGENT,
};

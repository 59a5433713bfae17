import { type EscalationRules, escalationRules } from "@bizbot/shared";

/** One tenant's routing rules, as its settings hold them: New York office hours, an on-call team, two VIP entries. */
export const tenantRules: EscalationRules = escalationRules.parse({
  teams: [
    {
      id: "frontline",
      name: "Frontline Support",
      keywords: ["account", "login", "password reset", "profile", "how do i", "username"],
      categories: ["general", "account"],
    },
    {
      id: "billing",
      name: "Billing",
      keywords: ["invoice", "refund", "charged", "payment", "subscription", "credit card", "receipt", "vat"],
      categories: ["billing"],
    },
    {
      id: "platform",
      name: "Platform Engineering",
      keywords: ["api", "error", "500", "timeout", "webhook", "down", "outage", "latency", "integration"],
      categories: ["technical", "bug"],
    },
    {
      id: "security",
      name: "Security",
      keywords: ["breach", "hacked", "phishing", "vulnerability", "unauthorized", "suspicious login", "data leak", "2FA"],
      categories: ["security"],
    },
    { id: "sales", name: "Sales", keywords: ["pricing", "quote", "enterprise plan", "demo", "seats"], categories: ["sales"] },
    { id: "on-call", name: "On-call Engineers" },
  ],
  defaultTeam: "frontline",
  afterHoursTeam: "on-call",
  vip: ["cfo@globex.com", "@initech.io"],
  businessHours: { timeZone: "America/New_York", days: [1, 2, 3, 4, 5], open: "09:00", close: "17:00" },
  urgentKeywords: ["urgent", "asap", "emergency", "immediately", "critical"],
});

import { z } from "zod";
import { text } from "./fields.ts";

export const priorities = ["P1", "P2", "P3", "P4"] as const;

export const escalationManagerInput = z.strictObject({
  message: text("Ticket", 8000, "The customer's message"),
  subject: text("Subject", 200).optional(),
  customerEmail: z.email().max(254).meta({ title: "Customer e-mail" }).optional(),
  category: text("Category", 80).optional(),
  receivedAt: z.iso.datetime({ offset: true }).meta({ title: "Received at", description: "ISO 8601; now when absent" }).optional(),
});

export const escalationManagerOutput = z.object({
  team: z.string(),
  teamName: z.string(),
  priority: z.enum(priorities),
  reason: z.string(),
  /** rules: the tenant's rules chose alone; model: the rules tied (or matched nothing) and the model chose among their candidates. */
  decidedBy: z.enum(["rules", "model"]),
  matched: z.array(z.object({ rule: z.string(), detail: z.string() })),
  vip: z.boolean(),
  withinBusinessHours: z.boolean(),
});

/** The tenant's routing rules, kept in its settings. */
export const escalationRules = z.strictObject({
  teams: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "is lowercase letters, digits and dashes"),
        name: z.string().trim().min(1).max(80),
        keywords: z.array(z.string().trim().min(1).max(60)).max(100).default([]),
        categories: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
      }),
    )
    .min(1)
    .max(50),
  /** Where a ticket goes when no rule matches. */
  defaultTeam: z.string(),
  /** Where urgent tickets go outside business hours; none keeps them with the matched team. */
  afterHoursTeam: z.string().nullable().default(null),
  /** E-mail addresses or `@domain` entries whose tickets are raised one priority. */
  vip: z.array(z.string().trim().toLowerCase().min(3).max(254)).max(1000).default([]),
  businessHours: z
    .strictObject({
      timeZone: z.string().refine((tz) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, "is not an IANA time zone"),
      /** 0 Sunday … 6 Saturday. */
      days: z.array(z.int().min(0).max(6)).max(7),
      open: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "is HH:MM"),
      close: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "is HH:MM"),
    })
    .nullable()
    .default(null),
  /** Words that make a ticket urgent (P1 with an outage word, P2 otherwise). */
  urgentKeywords: z.array(z.string().trim().min(1).max(60)).max(100).default([]),
});

export type EscalationRules = z.infer<typeof escalationRules>;

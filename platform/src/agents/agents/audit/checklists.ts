import type { Checklist, Framework } from "./control.ts";
import { gdpr } from "./gdpr.ts";
import { hipaa } from "./hipaa.ts";
import { soc2 } from "./soc2.ts";

export const checklists: Record<Framework, Checklist> = { soc2, gdpr, hipaa };

import type { Migration } from "kysely";
import * as foundation from "./2026_12_01_0001_foundation.ts";
import * as metering from "./2026_12_02_0001_metering.ts";
import * as knowledge from "./2026_12_03_0001_knowledge.ts";
import * as postingsImpact from "./2026_12_04_0001_postings_impact.ts";
import * as ingestionJobs from "./2026_12_04_0002_ingestion_jobs.ts";
import * as chat from "./2026_12_05_0001_chat.ts";
import * as agents from "./2026_12_07_0001_agents.ts";
import * as widgetSettings from "./2026_12_07_0002_widget_settings.ts";
import * as team from "./2026_12_07_0003_team.ts";
import * as portal from "./2026_12_07_0004_portal.ts";
import * as widgetKeys from "./2026_12_07_0005_widget_keys.ts";
import * as billing from "./2026_12_07_0006_billing.ts";

/** Every migration by its timestamped name, in order. A new one is a new file plus one line here. */
export const migrations: Record<string, Migration> = {
  "2026_12_01_0001_foundation": foundation,
  "2026_12_02_0001_metering": metering,
  "2026_12_03_0001_knowledge": knowledge,
  "2026_12_04_0001_postings_impact": postingsImpact,
  "2026_12_04_0002_ingestion_jobs": ingestionJobs,
  "2026_12_05_0001_chat": chat,
  "2026_12_07_0001_agents": agents,
  "2026_12_07_0002_widget_settings": widgetSettings,
  "2026_12_07_0003_team": team,
  "2026_12_07_0004_portal": portal,
  "2026_12_07_0005_widget_keys": widgetKeys,
  "2026_12_07_0006_billing": billing,
};

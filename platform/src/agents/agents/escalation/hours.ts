import type { EscalationRules } from "@bizbot/shared";

export type BusinessHours = NonNullable<EscalationRules["businessHours"]>;

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/**
 * Whether `at` falls in the business hours, read on the wall clock of their time zone. A close before the open is an
 * overnight shift: it starts on a listed day and ends the next morning. Open equal to close is the whole day.
 */
export function withinHours(hours: BusinessHours, at: Date): boolean {
  const { day, minutes } = wallClock(at, hours.timeZone);
  const open = toMinutes(hours.open);
  const close = toMinutes(hours.close);
  const listed = (d: number) => hours.days.includes(d);
  if (open === close) return listed(day);
  if (open < close) return listed(day) && minutes >= open && minutes < close;
  return (listed(day) && minutes >= open) || (listed((day + 6) % 7) && minutes < close);
}

/** "Mon–Fri 08:00–18:00, Europe/Berlin". */
export function describeHours(hours: BusinessHours): string {
  const days = [...new Set(hours.days)].sort((a, b) => a - b);
  const consecutive = days.length > 2 && days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const dayText = days.length === 0 ? "no days" : consecutive ? `${WEEKDAYS[days[0]!]}–${WEEKDAYS[days.at(-1)!]}` : days.map((d) => WEEKDAYS[d]).join(", ");
  return `${dayText} ${hours.open}–${hours.close}, ${hours.timeZone}`;
}

function wallClock(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return { day: WEEKDAYS.indexOf(part("weekday")), minutes: Number(part("hour")) * 60 + Number(part("minute")) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

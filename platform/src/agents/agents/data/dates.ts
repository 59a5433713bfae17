/**
 * A date as text says it: ISO already (`2024-03-05`, or a date and time, which is left as it is), a date whose
 * reading is certain (`2024/03/05`, `5 March 2024`, `March 5, 2024`), or day and month in an order the text alone
 * does not tell (`05/03/2024`: the 5th of March or May 3rd). Four-digit years only: `05/03/24` is not read.
 */
export type DateText = { kind: "iso" } | { kind: "certain"; iso: string } | { kind: "numeric"; first: number; second: number; year: number };

/** How a field's numeric dates read: day first, month first, or not known (its values never say). */
export type DateOrder = "dmy" | "mdy" | null;

/** English month names, full and short (`Sept` too), lowercase. */
const MONTHS = new Map<string, number>([
  ...["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"].flatMap(
    (name, i): [string, number][] => [
      [name, i + 1],
      [name.slice(0, 3), i + 1],
    ],
  ),
  ["sept", 9],
]);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$/i;
const MONTH_DAY_YEAR = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

/** The date `text` (trimmed) is, or null when it is not one this reads or names no real day (`2023-02-29`). */
export function readDate(text: string): DateText | null {
  let m = ISO_DATE.exec(text) ?? ISO_DATE_TIME.exec(text);
  if (m) return isDay(+m[1]!, +m[2]!, +m[3]!) ? { kind: "iso" } : null;
  if ((m = YMD.exec(text))) return certain(+m[1]!, +m[2]!, +m[3]!);
  if ((m = DAY_MONTH_YEAR.exec(text))) return certain(+m[3]!, monthOf(m[2]!), +m[1]!);
  if ((m = MONTH_DAY_YEAR.exec(text))) return certain(+m[3]!, monthOf(m[1]!), +m[2]!);
  if ((m = NUMERIC.exec(text))) {
    const [first, second, year] = [+m[1]!, +m[3]!, +m[4]!];
    return isDay(year, second, first) || isDay(year, first, second) ? { kind: "numeric", first, second, year } : null;
  }
  return null;
}

/**
 * The order a field's numeric dates are in, when its values settle it: a first part over 12 can only be a day, a
 * second part over 12 only a day. Values that point both ways, or none, leave it unknown, and no guess is made.
 */
export function dateOrder(dates: Iterable<{ first: number; second: number }>): DateOrder {
  let dayFirst = false;
  let monthFirst = false;
  for (const { first, second } of dates) {
    if (first > 12) dayFirst = true;
    if (second > 12) monthFirst = true;
  }
  return dayFirst === monthFirst ? null : dayFirst ? "dmy" : "mdy";
}

/** The ISO form (YYYY-MM-DD) of a date that is not yet ISO, if its reading is certain in a field of `order`. */
export function isoDate(date: DateText, order: DateOrder): string | null {
  if (date.kind === "certain") return date.iso;
  if (date.kind !== "numeric" || order === null) return null;
  const [day, month] = order === "dmy" ? [date.first, date.second] : [date.second, date.first];
  return isDay(date.year, month, day) ? iso(date.year, month, day) : null;
}

const monthOf = (name: string) => MONTHS.get(name.toLowerCase()) ?? 0;

const certain = (year: number, month: number, day: number): DateText | null =>
  isDay(year, month, day) ? { kind: "certain", iso: iso(year, month, day) } : null;

const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

function isDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

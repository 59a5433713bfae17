/** A time found in a log line: as the result shows it, and a key that orders it among the others. */
export interface Stamp {
  /** ISO 8601: in UTC (`Z`) when the log gave a zone, as written (no zone) when it did not; syslog's without a year. */
  text: string;
  /** Milliseconds since 1970, a time without a zone taken as UTC. */
  order: number;
}

/** Where a line's time is, so that a signature can leave it out. */
export interface FoundStamp {
  stamp: Stamp;
  index: number;
  length: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** RFC 3164 syslog times carry no year: they are ordered within this one (a leap year, so that 29 Feb is valid). */
const SYSLOG_YEAR = 2000;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Up to milliseconds, as digits ("1" is 100 ms). */
  fraction: string;
  /** Minutes east of UTC, or null when the log gave no zone. */
  offset: number | null;
}

interface Format {
  pattern: RegExp;
  fields(m: RegExpExecArray): Fields | null;
  /** How a time without a year is shown; the others are ISO 8601. */
  show?(fields: Fields, m: RegExpExecArray): string;
}

const zoneMinutes = (zone: string | undefined): number | null => {
  if (!zone) return null;
  if (/^(?:Z|UTC)$/i.test(zone.trim())) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
};

const FORMATS: Format[] = [
  {
    // ISO 8601 and RFC 3339, with "T" or a space, and Python's comma before the milliseconds.
    pattern: /(?<!\d)(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s?(Z|UTC|[+-]\d{2}(?::?\d{2})?))?(?![\d:])/,
    fields: (m) => ({
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6]),
      fraction: m[7] ?? "",
      offset: zoneMinutes(m[8]),
    }),
  },
  {
    // Common and combined log format (Apache, nginx access logs): [10/Oct/2000:13:55:36 -0700].
    pattern: /\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]/,
    fields: (m) => {
      const month = MONTHS.indexOf(m[2]!) + 1;
      if (!month) return null;
      return {
        year: Number(m[3]),
        month,
        day: Number(m[1]),
        hour: Number(m[4]),
        minute: Number(m[5]),
        second: Number(m[6]),
        fraction: "",
        offset: zoneMinutes(m[7]),
      };
    },
  },
  {
    // nginx's error log and others: 2024/05/01 12:00:00.
    pattern: /(?<!\d)(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?!\d)/,
    fields: (m) => ({
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6]),
      fraction: "",
      offset: null,
    }),
  },
  {
    // RFC 3164 syslog, at the start of a line, after an optional <priority>: "May  1 12:00:00".
    pattern: /^(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?![\d:])/,
    fields: (m) => {
      const month = MONTHS.indexOf(m[1]!) + 1;
      if (!month) return null;
      return { year: SYSLOG_YEAR, month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]), fraction: "", offset: null };
    },
    show: (f, m) => `${m[1]} ${f.day} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`,
  },
  {
    // Epoch seconds or milliseconds under a time key, as pino, bunyan and logfmt write them.
    pattern: /(?:"(?:time|timestamp|ts)"\s*:\s*|\b(?:time|timestamp|ts)=)(\d{13}|\d{10}(?:\.\d{1,9})?)(?![\d.])/,
    fields: (m) => {
      const ms = m[1]!.length === 13 ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
      const d = new Date(ms);
      return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
        fraction: ms % 1000 ? String(ms % 1000).padStart(3, "0") : "",
        offset: 0,
      };
    },
  },
];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The first time in `line` (the earliest of the formats that match), or null. */
export function findTimestamp(line: string): FoundStamp | null {
  let best: FoundStamp | null = null;
  for (const format of FORMATS) {
    const m = format.pattern.exec(line);
    if (!m || (best && m.index >= best.index)) continue;
    const fields = format.fields(m);
    const stamp = fields && toStamp(fields, format.show?.(fields, m));
    if (stamp) best = { stamp, index: m.index, length: m[0].length };
  }
  return best;
}

function toStamp(f: Fields, shown: string | undefined): Stamp | null {
  const ms = Number(f.fraction.slice(0, 3).padEnd(3, "0"));
  const local = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, ms);
  const d = new Date(local);
  // Date.UTC rolls 31 Feb over into March: a time that does not round-trip is not a time.
  if (
    d.getUTCFullYear() !== f.year ||
    d.getUTCMonth() !== f.month - 1 ||
    d.getUTCDate() !== f.day ||
    d.getUTCHours() !== f.hour ||
    d.getUTCMinutes() !== f.minute
  ) {
    return null;
  }
  if (f.second > 59) return null;
  const order = local - (f.offset ?? 0) * 60_000;
  const fraction = f.fraction ? `.${f.fraction.slice(0, 3).padEnd(3, "0")}` : "";
  if (shown) return { text: shown, order };
  if (f.offset === null) {
    return { text: `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${fraction}`, order };
  }
  const utc = new Date(order).toISOString();
  return { text: fraction ? utc : utc.replace(/\.\d{3}Z$/, "Z"), order };
}

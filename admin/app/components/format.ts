/**
 * Formats for the portal's figures: counts, money, rates, days and times. Written out rather than with Intl on
 * purpose: the browser's first Intl formatter loads its locale data, which took 57 to 536 ms in Chromium here, all of
 * it inside the hydration task the dashboard's performance score counts, and a 90-day chart formats hundreds of
 * figures. The text is the same as Intl's in en-US (numbers) and en-GB (dates), always in UTC, so the server and the
 * browser write the same.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"];

const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const sign = (n: number) => (n < 0 ? "-" : "");

/** 1,234 or 12.5 (up to three decimals, rounded): as Intl's en-US writes it. */
export function formatNumber(n: number): string {
  const [whole, fraction] = String(Math.round(Math.abs(n) * 1000) / 1000).split(".");
  return `${sign(n)}${grouped(whole!)}${fraction ? `.${fraction}` : ""}`;
}

/** Dollars to the cent; amounts under a cent (a single model call) keep four decimals rather than show as $0.00. */
export function formatUsd(n: number): string {
  const [whole, fraction] = Math.abs(n)
    .toFixed(n !== 0 && Math.abs(n) < 0.01 ? 4 : 2)
    .split(".");
  return `${sign(n)}$${grouped(whole!)}.${fraction}`;
}

/** A ratio of 0..1 as a whole percentage; null (nothing to divide by) is a dash. */
export const formatPercent = (ratio: number | null) => (ratio === null ? "—" : `${Math.round(ratio * 100)}%`);

/** A UTC day given as YYYY-MM-DD, such as "5 Dec". */
export function formatDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]}`;
}

const twoDigits = (n: number) => String(n).padStart(2, "0");

/** "7 Dec 2026, 13:11 UTC": as Intl's en-GB writes it, in UTC. */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}, ${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())} UTC`;
}

/** A whole number short enough for an axis: 950, 1.2K, 3M. */
export function formatCompact(n: number): string {
  // The thresholds sit where rounding to one decimal reaches the next unit: 999,990 is 1M, not 1000K.
  const [divisor, suffix] = Math.abs(n) >= 999_950 ? [1e6, "M"] : Math.abs(n) >= 999.95 ? [1e3, "K"] : [1, ""];
  return `${Math.round((n / divisor) * 10) / 10}${suffix}`;
}

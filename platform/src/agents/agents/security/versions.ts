/** Version numbers and the ranges manifests give, compared by hand for the plain forms manifests use. */
export interface Version {
  /** 1.2.3 → [1, 2, 3]; any count of numbers (Maven's 2.12.6.1). */
  parts: number[];
  /** The pre-release (beta9, rc.1), which sorts before the release; null for a release. */
  pre: string | null;
}

/** Qualifiers that name a release, not a pre-release (Spring's 4.3.0.RELEASE, Hibernate's 5.4.0.Final). */
const RELEASE_QUALIFIERS = /^(?:release|final|ga)$/i;

export function parseVersion(text: string): Version | null {
  const m = /^v?(\d+(?:\.\d+)*)(?:[-.]?([0-9A-Za-z][0-9A-Za-z.-]*))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) return null;
  const pre = m[2] && !RELEASE_QUALIFIERS.test(m[2]) ? m[2] : null;
  return { parts: m[1]!.split(".").map(Number), pre };
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (a.pre === b.pre) return 0;
  if (a.pre === null) return 1;
  if (b.pre === null) return -1;
  return comparePre(a.pre, b.pre);
}

/** Pre-releases compare by dot-separated identifiers: numbers by value and before words, words in ASCII order. */
function comparePre(a: string, b: string): number {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Math.sign(Number(p) - Number(q));
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

export const formatVersion = (v: Version) => `${v.parts.join(".")}${v.pre ? `-${v.pre}` : ""}`;

/**
 * The lowest version a requirement allows: exact versions, npm's ^ ~ >= > and x-ranges, hyphen ranges and `||`,
 * pip's == ~= >= and comma lists, Ruby's ~>, Maven's [1.0,2.0). Null when it has no lower bound or is not a version
 * at all (a tag, a URL, a workspace link), so nothing is claimed about it.
 */
export function lowestAllowed(spec: string): Version | null {
  const trimmed = spec.trim();
  const maven = /^([[(])\s*([^,\s\])]*)\s*(?:,|\])/.exec(trimmed);
  if (maven) {
    const low = maven[2] ? parseVersion(maven[2]) : null;
    return low && maven[1] === "(" ? bump(low) : low;
  }
  const lows = trimmed.split("||").map((alternative) => lowestOfRange(alternative.trim()));
  return lows.reduce<Version | null>((min, v) => (v && (!min || compareVersions(v, min) < 0) ? v : min), null);
}

function lowestOfRange(range: string): Version | null {
  const hyphen = /^(\S+)\s+-\s+\S+$/.exec(range);
  if (hyphen) return lowerBound(hyphen[1]!);
  const comparators = range
    .replace(/(>=|<=|>|<|===|==|=|~>|~=|\^|~|!=)\s+/g, "$1")
    .split(/[\s,]+/)
    .filter(Boolean);
  // Every comparator must hold, so the range starts at the highest of their lower bounds.
  let low: Version | null = null;
  for (const comparator of comparators) {
    const bound = lowerBound(comparator);
    if (bound && (!low || compareVersions(bound, low) > 0)) low = bound;
  }
  return low;
}

function lowerBound(comparator: string): Version | null {
  const m = /^(===|==|>=|~>|~=|<=|!=|>|<|=|\^|~)?(.+)$/.exec(comparator);
  if (!m) return null;
  const [, op = "", text = ""] = m;
  if (op === "<" || op === "<=" || op === "!=") return null;
  // x-ranges and wildcards: 1.2.x, 1.*, ==1.2.* start at zero in the open parts.
  const numbers = text.split(".");
  const wild = numbers.findIndex((n) => /^[xX*]$/.test(n));
  if (wild === 0) return null;
  const version = parseVersion(wild === -1 ? text : numbers.slice(0, wild).join("."));
  if (!version) return null;
  return op === ">" ? bump(version) : version;
}

/** The next version after `v` at its last given number: the lowest that `>v` allows. */
function bump(v: Version): Version {
  const parts = [...v.parts];
  parts[parts.length - 1]! += 1;
  return { parts, pre: null };
}

import { ADVISORIES, type Advisory, type Ecosystem } from "./data/advisories.ts";
import type { LineIndex } from "../../secrets/text.ts";
import { type Finding, findingOf } from "../../secrets/types.ts";
import { severityRank } from "./types.ts";
import { compareVersions, formatVersion, lowestAllowed, parseVersion, type Version } from "./versions.ts";

export type ManifestKind = "package.json" | "package-lock.json" | "requirements.txt" | "Gemfile.lock" | "pom.xml" | "build.gradle";

interface Dependency {
  ecosystem: Ecosystem;
  name: string;
  /** As the manifest states it: an exact version or a range. */
  spec: string;
  line: number;
  column: number;
}

/** Which manifest the text is, by its file name, else by its content; null when it is none of those read here. */
export function manifestKind(index: LineIndex, filename?: string): ManifestKind | null {
  const base = filename?.split(/[\\/]/).pop()?.toLowerCase() ?? "";
  if (base === "package.json") return "package.json";
  if (base === "package-lock.json" || base === "npm-shrinkwrap.json") return "package-lock.json";
  if (/^(?:requirements|constraints)[\w.-]*\.(?:txt|in)$/.test(base)) return "requirements.txt";
  if (base === "gemfile.lock") return "Gemfile.lock";
  if (base === "pom.xml") return "pom.xml";
  if (/\.gradle(?:\.kts)?$/.test(base)) return "build.gradle";
  const text = index.text;
  const head = text.trimStart();
  if (head.startsWith("{") && /"lockfileVersion"\s*:/.test(text)) return "package-lock.json";
  if (head.startsWith("{") && /"(?:dev|peer|optional)?[dD]ependencies"\s*:\s*\{/.test(text)) return "package.json";
  if (/^GEM$/m.test(text) && /^ {2}specs:$/m.test(text)) return "Gemfile.lock";
  if (/<project[\s>]/.test(text) && /<dependency>/.test(text)) return "pom.xml";
  if (/["'][\w.-]+:[\w.-]+:\d[\w.-]*["']/.test(text) && /\b(?:implementation|api|compile|runtimeOnly|testImplementation)\b/.test(text)) return "build.gradle";
  const lines = index.lines.map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const pinned = lines.filter((l) => PIP_LINE.test(l) && /(?:==|>=|~=)/.test(l));
  if (pinned.length > 0 && pinned.length >= lines.length / 2) return "requirements.txt";
  return null;
}

/** Dependencies whose lowest allowed version falls in a bundled advisory's range: one finding per dependency line. */
export function detectDependencies(index: LineIndex, kind: ManifestKind): Finding[] {
  return readDependencies(index, kind).flatMap((dependency) => {
    const finding = checkDependency(dependency);
    return finding ? [finding] : [];
  });
}

function readDependencies(index: LineIndex, kind: ManifestKind): Dependency[] {
  switch (kind) {
    case "package.json":
      return readPackageJson(index);
    case "package-lock.json":
      return readPackageLock(index);
    case "requirements.txt":
      return readRequirements(index);
    case "Gemfile.lock":
      return readGemfileLock(index);
    case "pom.xml":
      return readPom(index);
    case "build.gradle":
      return readGradle(index);
  }
}

const DEPENDENCY_SECTION = /"(?:dependencies|devDependencies|optionalDependencies|peerDependencies)"\s*:\s*\{/;

/** Read by lines rather than parsed, so that a pasted fragment or a file with a stray comma still gives its lines. */
function readPackageJson(index: LineIndex): Dependency[] {
  const found: Dependency[] = [];
  let inSection = false;
  index.lines.forEach((line, i) => {
    let rest = line;
    const section = DEPENDENCY_SECTION.exec(line);
    if (section) {
      inSection = true;
      rest = line.slice(section.index + section[0].length);
    } else if (!inSection) return;
    for (const entry of rest.matchAll(/"([^"]+)"\s*:\s*"([^"]*)"/g)) {
      found.push({ ecosystem: "npm", name: entry[1]!, spec: entry[2]!, line: i + 1, column: line.indexOf(`"${entry[1]}"`) + 2 });
    }
    if (rest.includes("}")) inSection = false;
  });
  return found;
}

/** Lockfile v1 (`"lodash": {` under dependencies) and v2/v3 (`"node_modules/lodash": {`), each with its `"version"`. */
function readPackageLock(index: LineIndex): Dependency[] {
  const found: Dependency[] = [];
  let pending: { name: string; line: number; column: number } | null = null;
  index.lines.forEach((line, i) => {
    const key = /^\s*"(?:[^"]*node_modules\/)?((?:@[^"/]+\/)?[^"/]+)"\s*:\s*\{/.exec(line);
    if (key) {
      pending = { name: key[1]!, line: i + 1, column: line.indexOf(key[1]!) + 1 };
      return;
    }
    const version = /^\s*"version"\s*:\s*"([^"]+)"/.exec(line);
    if (version && pending) {
      found.push({ ecosystem: "npm", name: pending.name, spec: version[1]!, line: pending.line, column: pending.column });
      pending = null;
    } else if (/[{}]/.test(line)) pending = null;
  });
  return found;
}

const PIP_LINE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*((?:===|==|~=|>=|<=|!=|>|<)[^;#]*)/;

function readRequirements(index: LineIndex): Dependency[] {
  return index.lines.flatMap((line, i) => {
    const m = PIP_LINE.exec(line.trim());
    if (!m) return [];
    const name = m[1]!.toLowerCase().replace(/[._]+/g, "-");
    return [{ ecosystem: "pypi" as const, name, spec: m[2]!.trim(), line: i + 1, column: line.indexOf(m[1]!) + 1 }];
  });
}

/** The resolved gems: four spaces in, under `specs:`; a platform suffix (-x86_64-linux) is not part of the version. */
function readGemfileLock(index: LineIndex): Dependency[] {
  return index.lines.flatMap((line, i) => {
    const m = /^ {4}([A-Za-z0-9_.-]+) \(([^)\s]+)\)\s*$/.exec(line);
    if (!m) return [];
    return [{ ecosystem: "rubygems" as const, name: m[1]!, spec: m[2]!.split("-")[0]!, line: i + 1, column: 5 }];
  });
}

function readPom(index: LineIndex): Dependency[] {
  const text = index.text;
  const properties = new Map<string, string>();
  for (const block of text.matchAll(/<properties>([\s\S]*?)<\/properties>/g)) {
    for (const p of block[1]!.matchAll(/<([\w.-]+)>\s*([^<\s]+)\s*<\/\1>/g)) properties.set(p[1]!, p[2]!);
  }
  const found: Dependency[] = [];
  for (const block of text.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const body = block[1]!;
    const tag = (name: string) => new RegExp(`<${name}>\\s*([^<]+?)\\s*</${name}>`).exec(body)?.[1];
    const group = tag("groupId");
    const artifact = tag("artifactId");
    const version = tag("version")?.replace(/^\$\{([^}]+)\}$/, (whole, name: string) => properties.get(name) ?? whole);
    if (!group || !artifact || !version) continue;
    const at = index.at(block.index + "<dependency>".length + body.indexOf(`<artifactId>`));
    found.push({ ecosystem: "maven", name: `${group}:${artifact}`, spec: version, ...at });
  }
  return found;
}

const GRADLE_COORDINATE = /["']([\w.-]+):([\w.-]+):([\w.+[\](),-]+)["']/g;

function readGradle(index: LineIndex): Dependency[] {
  return [...index.text.matchAll(GRADLE_COORDINATE)].map((m) => ({
    ecosystem: "maven" as const,
    name: `${m[1]}:${m[2]}`,
    spec: m[3]!,
    ...index.at(m.index + 1),
  }));
}

function affects(advisory: Advisory, version: Version) {
  return advisory.ranges.find((r) => {
    if (r.introduced && compareVersions(version, parseVersion(r.introduced)!) < 0) return false;
    return compareVersions(version, parseVersion(r.fixed)!) < 0;
  });
}

function checkDependency(dependency: Dependency): Finding | null {
  const low = lowestAllowed(dependency.spec);
  if (!low) return null;
  const hits = ADVISORIES.flatMap((advisory) => {
    if (advisory.ecosystem !== dependency.ecosystem || advisory.name !== dependency.name) return [];
    const range = affects(advisory, low);
    return range ? [{ advisory, fixed: range.fixed }] : [];
  });
  if (hits.length === 0) return null;
  const { name, spec } = dependency;
  const version = formatVersion(low);
  const exact = /^(?:===?|=)?\s*v?\d[\w.+-]*$/.test(spec.trim());
  const worst = hits.reduce((a, b) => (severityRank(b.advisory.severity) < severityRank(a.advisory.severity) ? b : a));
  const fixed = hits.map((h) => h.fixed).reduce((a, b) => (compareVersions(parseVersion(b)!, parseVersion(a)!) > 0 ? b : a));
  const flaws = hits.map(({ advisory }) => `${advisory.cve} (${advisory.summary})`).join("; ");
  return findingOf(
    {
      id: "vulnerable-dependency",
      severity: worst.advisory.severity,
      explanation: `${name} ${version}${exact ? "" : `, the lowest version "${spec}" allows,`} is affected by ${flaws}.`,
      fix: `Upgrade ${name} to ${fixed} or later${exact ? "" : ` and raise the range's minimum so that no affected version can be installed`}.`,
    },
    "dependency",
    dependency,
    `${name} ${spec}${exact ? "" : ` (allows ${version})`}: ${hits.map((h) => h.advisory.cve).join(", ")}`,
  );
}

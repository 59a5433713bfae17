import type { LineIndex } from "../../secrets/text.ts";
import { type Finding, findingOf, type RuleInfo } from "../../secrets/types.ts";
import { clipLine } from "./text.ts";

export type Language = "js" | "python";

/** One line-based pattern of injection-prone or insecure code. */
interface CodeRule extends RuleInfo {
  /** Where the finding points. */
  pattern: RegExp;
  /** Must also hold somewhere on the line. */
  also?: RegExp;
  /** Makes the line safe (a sanitiser, a safe loader). */
  unless?: RegExp;
  /** Only in these languages when the file name tells the language; every rule runs when it does not. */
  languages?: Language[];
  /** Safe inside a tagged SQL template (sql`…`), whose values the library binds as parameters. */
  safeInSqlTag?: boolean;
}

/** A tagged SQL template's start: sql`, sql<Row>`, Prisma.sql`, or the `}>`` that ends a row type written over lines. */
const SQL_TAG = /\b(?:Prisma\.)?(?:sql|SQL)(?:<[^`]*>)?`|^\s*\}>`/;

/** Values spliced into a string: template `${}`, `+` concatenation, f-strings, `%` and .format, C# `$"{}"`, PHP `"$var"`. */
const INTERPOLATION =
  /\$\{[^}]+\}|["'`]\s*\+\s*[\w$(]|[\w$)\]]\s*\+\s*["'`]|\bf["'][^"']*\{[^}]+\}|["']\s*%\s*[\w(]|\.format\s*\(|\$"[^"]*\{[^}]+\}|"[^"]*\$[A-Za-z_]\w*/;

const SANITISED = /DOMPurify\.sanitize|sanitizeHtml\(|sanitize\(|escapeHtml\(/;

const COMMAND: Omit<CodeRule, "pattern"> = {
  id: "command-injection",
  severity: "high",
  explanation: "A shell command is built from values; shell metacharacters in a value (; | $()) run commands of the attacker's choosing.",
  fix: "Run the program directly with an argument list (execFile/spawn without a shell, subprocess.run([...])) and validate the values.",
};
const EVAL: Omit<CodeRule, "pattern"> = {
  id: "dynamic-code-execution",
  severity: "high",
  explanation: "Text is run as code; if any of it comes from a user, they can run anything the process can.",
  fix: "Remove eval/new Function: parse data with JSON.parse or a real parser, and dispatch on values with a lookup table.",
};
const HTML: Omit<CodeRule, "pattern"> = {
  id: "html-injection",
  severity: "medium",
  explanation: "HTML is built from a variable and inserted into the page; unescaped user input there is cross-site scripting.",
  fix: "Insert text with textContent (or the framework's normal binding), or sanitise the HTML with DOMPurify first.",
  unless: SANITISED,
};

const CODE_RULES: CodeRule[] = [
  {
    id: "sql-injection",
    severity: "high",
    explanation: "The SQL statement is built by splicing values into its text; a value with a quote in it changes the query (SQL injection).",
    fix: "Pass values as bound parameters (placeholders such as ? or $1 with a values array, or a query builder) instead of building the SQL string.",
    pattern: /\b(?:SELECT\s[^;]*?\bFROM\b|INSERT\s+INTO\b|UPDATE\s+\S+\s+SET\b|DELETE\s+FROM\b)/i,
    also: INTERPOLATION,
    safeInSqlTag: true,
  },
  { ...EVAL, pattern: /(?<![\w.$])eval\s*\((?!\s*["'`][^"'`]*["'`]\s*\))/ },
  { ...EVAL, pattern: /\bnew\s+Function\s*\(/, languages: ["js"] },
  { ...COMMAND, pattern: /\b(?:exec|execSync)\s*\(\s*(?:`[^`]*\$\{|["'][^"']*["']\s*\+|[\w$.]+\s*\+\s*["'`])/, languages: ["js"] },
  { ...COMMAND, pattern: /\bos\.(?:system|popen)\s*\(\s*(?:f["']|["'][^"']*["']\s*[+%]|[^)]*\.format\()/, languages: ["python"] },
  {
    id: "subprocess-shell-true",
    severity: "high",
    pattern: /\bshell\s*=\s*True\b/,
    languages: ["python"],
    explanation: "shell=True runs the command through the shell, so any value in it can add commands (command injection).",
    fix: "Pass the command as a list without shell=True, e.g. subprocess.run(['convert', path], check=True).",
  },
  {
    id: "spawn-with-shell",
    severity: "medium",
    pattern: /\bshell\s*:\s*true\b/,
    languages: ["js"],
    explanation: "shell: true runs the command through the shell, so arguments built from input can add commands.",
    fix: "Drop shell: true and pass arguments as an array to spawn/execFile.",
  },
  { ...HTML, pattern: /\.(?:innerHTML|outerHTML)\s*\+?=(?!=)(?!\s*["'][^"'$]*["']\s*;?\s*$)(?!\s*`[^`$]*`\s*;?\s*$)/ },
  { ...HTML, pattern: /\binsertAdjacentHTML\s*\([^,]+,(?!\s*["'][^"']*["']\s*\))/ },
  { ...HTML, pattern: /\bdocument\.write(?:ln)?\s*\((?!\s*["'][^"']*["']\s*\))/ },
  { ...HTML, pattern: /dangerouslySetInnerHTML\s*=\s*\{\{\s*__html\s*:(?!\s*["'`][^"'`$]*["'`]\s*\}\})/ },
  {
    id: "insecure-deserialization",
    severity: "high",
    pattern: /\b(?:c?[pP]ickle|dill|shelve|marshal)\.loads?\s*\(|\bunserialize\s*\(\s*\$_(?:GET|POST|REQUEST|COOKIE)/,
    explanation: "Deserialising untrusted bytes with pickle (or PHP unserialize) can run arbitrary code while loading.",
    fix: "Load untrusted data only as JSON or another data-only format; keep pickle for data this program wrote and signed itself.",
  },
  {
    id: "yaml-unsafe-load",
    severity: "high",
    pattern: /\byaml\.(?:unsafe_load|load_all|load|full_load)\s*\(/,
    unless: /Loader\s*=\s*(?:yaml\.)?C?SafeLoader|safe_load/,
    languages: ["python"],
    explanation: "yaml.load without SafeLoader can build arbitrary Python objects, which runs code from a crafted document.",
    fix: "Use yaml.safe_load(...) or yaml.load(..., Loader=yaml.SafeLoader).",
  },
  {
    id: "weak-password-hash",
    severity: "high",
    pattern: /\b(?:md5|sha1)\b|createHash\(\s*["'](?:md5|sha1)["']|MessageDigest\.getInstance\(\s*"(?:MD5|SHA-?1)"/i,
    also: /password|passwd|passphrase|\bpwd\b|\bpass\b/i,
    explanation: "MD5 and SHA-1 are fast hashes: stolen password hashes made with them are cracked by the billion per second.",
    fix: "Hash passwords with a slow, salted algorithm: Argon2id, scrypt or bcrypt, through a maintained library.",
  },
  {
    id: "tls-verification-disabled",
    severity: "high",
    pattern:
      /rejectUnauthorized\s*:\s*false|\bverify\s*=\s*False\b|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*["']?0|InsecureSkipVerify\s*:\s*true|ssl\._create_unverified_context|\bCERT_NONE\b|CURLOPT_SSL_VERIFYPEER\s*,\s*(?:false|0)\b|strictSSL\s*:\s*false|check_hostname\s*=\s*False|\bcurl\b[^|;\n]*\s(?:-k|--insecure)\b/,
    explanation: "Certificate checking is turned off, so anyone on the network path can impersonate the server and read or change the traffic.",
    fix: "Keep verification on; for a private CA, give the client that CA's certificate (ca option, REQUESTS_CA_BUNDLE, or the system trust store).",
  },
];

const COMMENT = /^\s*(?:\/\/|#(?!!)|\/?\*|<!--|--\s)/;

export function languageOf(filename?: string): Language | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename ?? "")?.[1]?.toLowerCase();
  if (!ext) return null;
  if (["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "vue", "svelte"].includes(ext)) return "js";
  if (["py", "pyw"].includes(ext)) return "python";
  return null;
}

/**
 * Injection-prone and insecure code, line by line; comments are skipped. Patterns match the original lines, while
 * evidence comes from `masked`, the same lines with secrets masked.
 */
export function detectCode(index: LineIndex, masked: LineIndex, language: Language | null): Finding[] {
  const rules = CODE_RULES.filter((r) => !language || !r.languages || r.languages.includes(language));
  const findings: Finding[] = [];
  // Whether the line is inside a tagged SQL template that spans lines (kysely, postgres.js, slonik).
  let inSqlTag = false;
  index.lines.forEach((line, i) => {
    const tag = SQL_TAG.exec(line);
    const sqlTagged = inSqlTag || tag !== null;
    const backticks = (text: string) => text.split("`").length - 1;
    if (inSqlTag) inSqlTag = backticks(line) % 2 === 0;
    else if (tag) inSqlTag = backticks(line.slice(tag.index)) % 2 === 1;
    if (COMMENT.test(line) || line.length > 4000) return;
    for (const rule of rules) {
      if (rule.safeInSqlTag && sqlTagged) continue;
      const match = rule.pattern.exec(line);
      if (!match || (rule.also && !rule.also.test(line)) || rule.unless?.test(line)) continue;
      const column = match.index + 1;
      findings.push(findingOf(rule, "code", { line: i + 1, column }, clipLine(masked.line(i + 1), 160, column)));
    }
  });
  return findings;
}

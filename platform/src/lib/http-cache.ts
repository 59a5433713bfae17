import { createHash } from "node:crypto";

export type ContentCoding = "br" | "gzip" | "identity";

/**
 * The coding to send for an Accept-Encoding header: brotli when accepted, then gzip, else identity. Our preference
 * decides among those the client accepts at all (q > 0); `*` stands for any coding the header does not name.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return "identity";
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [coding = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*([0-9.]+)$/.exec(param);
      if (match) q = Number(match[1]);
    }
    weights.set(coding, Number.isFinite(q) ? q : 0);
  }
  const accepted = (coding: string) => (weights.get(coding) ?? weights.get("*") ?? 0) > 0;
  if (accepted("br")) return "br";
  if (accepted("gzip") || (weights.get("x-gzip") ?? 0) > 0) return "gzip";
  return "identity";
}

/** A strong ETag for these bytes: 132 bits of their SHA-256, with a suffix telling representations apart (`-br`). */
export function etagOf(content: string | Buffer, suffix = ""): string {
  return `"${createHash("sha256").update(content).digest("base64url").slice(0, 22)}${suffix}"`;
}

/** Whether If-None-Match names this ETag (weak comparison, as RFC 9110 has it for If-None-Match), or is `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === wanted);
}

// The visitor fingerprint sent as X-BizBot-Visitor: a random id this browser keeps, plus coarse signals. The
// platform hashes it with the address and user agent (platform/src/trials/identity.ts), so free runs count per
// visitor rather than per shared IP. Coarse on purpose: nothing here identifies a person across sites.
import { RANDOM_ID_KEY, type StorageLike } from "./storage.ts";

export interface Signals {
  timeZone: string;
  language: string;
  screenWidth: number;
}

const ID = /^[0-9a-f]{32}$/;

function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let id = "";
  for (let i = 0; i < bytes.length; i++) id += bytes[i]!.toString(16).padStart(2, "0");
  return id;
}

/** This browser's random id, made and kept on first use. Without storage it lasts as long as the page. */
export function randomVisitorId(storage: StorageLike | undefined): string {
  let id: string | null = null;
  try {
    id = storage?.getItem(RANDOM_ID_KEY) ?? null;
  } catch {}
  if (id && ID.test(id)) return id;
  id = randomId();
  try {
    storage?.setItem(RANDOM_ID_KEY, id);
  } catch {}
  return id;
}

/** Phone, tablet, laptop, desktop: enough to tell two devices apart, too coarse to single one out. */
export const screenBucket = (width: number) => (width < 640 ? "s" : width < 1024 ? "m" : width < 1600 ? "l" : "x");

/** `<id>.<time zone>.<language>.<screen>`, at most 128 characters of [A-Za-z0-9._+/-]. */
export function fingerprint(id: string, s: Signals): string {
  const clean = (v: string) => v.replace(/[^A-Za-z0-9_+/-]/g, "").slice(0, 40);
  return `${id}.${clean(s.timeZone) || "-"}.${clean(s.language.toLowerCase()) || "-"}.${screenBucket(s.screenWidth)}`.slice(0, 128);
}

/** The signals of this browser; each read guarded, since a hostile or old page may break any of them. */
export function browserSignals(): Signals {
  let timeZone = "";
  try {
    timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";
  } catch {}
  return { timeZone, language: navigator.language ?? "", screenWidth: screen?.width ?? 0 };
}

// What the widget remembers in localStorage, one entry per publishable key (two tenants' widgets on one site, or a
// test and a live key, must not continue each other's conversations), plus the browser's random visitor id.

export interface Saved {
  visitorId?: string;
  conversationId?: string;
}

/** The tenant's signed-in user, from `BizBot('identify', …)`: userHash is their server's HMAC of userId. */
export interface Identity {
  userId?: string;
  name?: string;
  email?: string;
  userHash?: string;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const storageKey = (publishableKey: string) => `bizbot:${publishableKey}`;
export const identityKey = (publishableKey: string) => `bizbot:who:${publishableKey}`;
/** The random part of the visitor fingerprint: per browser and site, whatever the key. */
export const RANDOM_ID_KEY = "bizbot:vid";

// The platform's id shapes (@bizbot/shared ids.ts); anything else in storage was not written by us.
const VISITOR = /^vis_[a-z2-7]{26}$/;
const CONVERSATION = /^conv_[a-z2-7]{26}$/;

function read(storage: StorageLike | undefined, key: string): Record<string, unknown> {
  try {
    const raw = JSON.parse(storage?.getItem(key) ?? "{}") as unknown;
    return typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function write(storage: StorageLike | undefined, key: string, value: string | undefined): void {
  try {
    if (value === undefined) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // Full or forbidden storage only costs the widget its memory of the next page load.
  }
}

export function load(storage: StorageLike | undefined, publishableKey: string): Saved {
  const raw = read(storage, storageKey(publishableKey));
  const saved: Saved = {};
  if (typeof raw.visitorId === "string" && VISITOR.test(raw.visitorId)) saved.visitorId = raw.visitorId;
  if (saved.visitorId && typeof raw.conversationId === "string" && CONVERSATION.test(raw.conversationId)) saved.conversationId = raw.conversationId;
  return saved;
}

export function save(storage: StorageLike | undefined, publishableKey: string, saved: Saved): void {
  write(storage, storageKey(publishableKey), saved.visitorId ? JSON.stringify(saved) : undefined);
}

/** Only strings, and only as long as the platform takes them (userId ≤ 200, userHash hex HMAC-SHA256). */
export function readIdentity(value: unknown): Identity {
  const o = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const out: Identity = {};
  const text = (v: unknown, max: number) => (typeof v === "string" && v.trim() && v.length <= max ? v.trim() : undefined);
  const userId = text(o.userId, 200);
  const name = text(o.name, 200);
  const email = text(o.email, 254);
  if (userId) out.userId = userId;
  if (name) out.name = name;
  if (email) out.email = email;
  if (typeof o.userHash === "string" && /^[0-9a-f]{64}$/i.test(o.userHash)) out.userHash = o.userHash;
  return out;
}

export const loadIdentity = (storage: StorageLike | undefined, publishableKey: string): Identity => readIdentity(read(storage, identityKey(publishableKey)));

export function saveIdentity(storage: StorageLike | undefined, publishableKey: string, identity: Identity): void {
  write(storage, identityKey(publishableKey), identity.userId || identity.name || identity.email ? JSON.stringify(identity) : undefined);
}

/** `BizBot('shutdown')`: the visitor, their conversation and their identity are forgotten. */
export function forgetAll(storage: StorageLike | undefined, publishableKey: string): void {
  write(storage, storageKey(publishableKey), undefined);
  write(storage, identityKey(publishableKey), undefined);
  write(storage, RANDOM_ID_KEY, undefined);
}

/** localStorage, or undefined where reading it throws (storage blocked for third-party frames, some private modes). */
export function browserStorage(): StorageLike | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

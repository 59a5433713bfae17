// Where a visitor's conversation is remembered between page loads. One entry per publishable key: two tenants'
// widgets on one site (or a test and a live key) must not continue each other's conversations.

export interface Saved {
  visitorId?: string;
  conversationId?: string;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const storageKey = (publishableKey: string) => `bizbot:${publishableKey}`;

// The platform's id shapes (@bizbot/shared ids.ts); anything else in storage was not written by us.
const VISITOR = /^vis_[a-z2-7]{26}$/;
const CONVERSATION = /^conv_[a-z2-7]{26}$/;

export function load(storage: StorageLike | undefined, publishableKey: string): Saved {
  try {
    const raw = JSON.parse(storage?.getItem(storageKey(publishableKey)) ?? "{}") as Record<string, unknown>;
    const saved: Saved = {};
    if (typeof raw.visitorId === "string" && VISITOR.test(raw.visitorId)) saved.visitorId = raw.visitorId;
    if (saved.visitorId && typeof raw.conversationId === "string" && CONVERSATION.test(raw.conversationId)) saved.conversationId = raw.conversationId;
    return saved;
  } catch {
    return {};
  }
}

export function save(storage: StorageLike | undefined, publishableKey: string, saved: Saved): void {
  try {
    if (saved.visitorId) storage?.setItem(storageKey(publishableKey), JSON.stringify(saved));
    else storage?.removeItem(storageKey(publishableKey));
  } catch {
    // Full or forbidden storage only costs the conversation its next page load.
  }
}

/** localStorage, or undefined where reading it throws (storage blocked for third-party frames, some private modes). */
export function browserStorage(): StorageLike | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

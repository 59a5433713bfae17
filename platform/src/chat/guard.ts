/**
 * The last line against prompt injection: whatever the model was talked into, an answer never carries the
 * secret-looking strings of the business's instructions (codes, keys, internal references) to the visitor.
 *
 * Text streams through `push`, which returns what may be shown now. Matching ignores case, spaces and punctuation,
 * so "ZEBRA-4471" split over three tokens, or spelled "zebra 4471", is caught. Only a tail of the text that could
 * still become a protected string is held back, so an ordinary answer streams without delay.
 */
export class LeakGuard {
  private readonly protectedKeys: string[];
  private shown = "";
  private held = "";
  leaked = false;

  constructor(secretText: string) {
    this.protectedKeys = [...new Set(secretLookingTokens(secretText).map(normalize))].filter((k) => k.length >= 6);
  }

  /** What of `delta` can be shown now; nothing, once a leak was seen. */
  push(delta: string): string {
    if (this.leaked) return "";
    this.held += delta;
    const pending = normalize(this.shown + this.held);
    if (this.protectedKeys.some((key) => pending.includes(key))) {
      this.leaked = true;
      this.held = "";
      return "";
    }
    // Keep back the shortest tail whose normalized form could still grow into a protected string.
    let cut = this.held.length;
    for (let i = 0; i < this.held.length; i++) {
      const tail = normalize(this.held.slice(i));
      if (tail && this.protectedKeys.some((key) => key.startsWith(tail) || tail.startsWith(key))) {
        cut = i;
        break;
      }
    }
    const out = this.held.slice(0, cut);
    this.held = this.held.slice(cut);
    this.shown += out;
    return out;
  }

  /** The text still held back, at the end of the answer (it turned out harmless). */
  flush(): string {
    if (this.leaked) return "";
    const out = this.held;
    this.held = "";
    this.shown += out;
    return out;
  }

  /** Whether a whole text (a stored answer, say) holds a protected string. */
  leaks(text: string): boolean {
    const normalized = normalize(text);
    return this.protectedKeys.some((key) => normalized.includes(key));
  }
}

const normalize = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/** Tokens that look like codes or secrets rather than words: mixing letters and digits, or joined by - _ . : / */
function secretLookingTokens(text: string): string[] {
  return text.split(/\s+/).filter((token) => {
    const core = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    if (core.length < 6) return false;
    const hasDigit = /\p{N}/u.test(core);
    const hasLetter = /\p{L}/u.test(core);
    return (hasDigit && hasLetter) || /[-_.:/]/.test(core) || /\p{N}{6,}/u.test(core);
  });
}

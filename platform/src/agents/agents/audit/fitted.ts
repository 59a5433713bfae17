import { byteLength, clip, type DataTag, fenced } from "../../prompt.ts";

/**
 * `text` fenced in at most `maxBytes` (clipped as needed). Defusing tags inside the fence lengthens the text, so the
 * clip is measured after fencing and tightened until it fits.
 */
export function fitted(tag: DataTag, text: string, maxBytes: number): string {
  let budget = maxBytes - byteLength(fenced(tag, ""));
  let out = fenced(tag, clip(text, Math.max(0, budget)));
  while (byteLength(out) > maxBytes && budget > 0) {
    budget -= byteLength(out) - maxBytes;
    out = fenced(tag, clip(text, Math.max(0, budget)));
  }
  return out;
}

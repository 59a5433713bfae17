import type { SearchHit } from "../../knowledge/repository.ts";
import { byteLength, clip, fenced } from "../prompt.ts";

/**
 * The knowledge base's passages, numbered from 1 as the model cites them, within `maxBytes` in all: each passage
 * gets an even share of the room, and a short one leaves its unused share to those after it.
 */
export function numberedPassages(hits: SearchHit[], maxBytes: number): { prompt: string; numbered: Map<number, SearchHit> } {
  const numbered = new Map<number, SearchHit>();
  if (hits.length === 0) return { prompt: fenced("passages", "(none: the knowledge base has nothing on this)"), numbered };
  let room = maxBytes - byteLength(fenced("passages", ""));
  const parts: string[] = [];
  hits.forEach((hit, i) => {
    const header = `[${i + 1}] ${[hit.title, ...hit.headingPath].join(" › ")}\n`;
    const share = Math.floor(room / (hits.length - i));
    const body = clip(hit.text, Math.max(0, share - byteLength(header) - 2));
    const part = `${header}${body}\n`;
    room -= byteLength(part);
    parts.push(part);
    numbered.set(i + 1, hit);
  });
  return { prompt: fenced("passages", parts.join("\n")), numbered };
}

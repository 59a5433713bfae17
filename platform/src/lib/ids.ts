import { idPrefixes, type IdKind } from "@bizbot/shared";
import { randomToken } from "./crypto.ts";

/** `ten_…`, `usr_…`, `key_…`: 128 random bits, so ids leak nothing about order or count. */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${randomToken(16)}`;
}

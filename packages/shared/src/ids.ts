import { z } from "zod";

/** Prefixed ids say what they are: `ten_…`, `usr_…`, `key_…`. The body is 26 lowercase base32 characters (128 bits). */
export const idPrefixes = {
  tenant: "ten",
  user: "usr",
  apiKey: "key",
  hold: "hold",
  document: "doc",
  chunk: "chk",
  conversation: "conv",
  message: "msg",
  visitor: "vis",
  notification: "ntf",
  run: "run",
  invitation: "inv",
} as const;

export type IdKind = keyof typeof idPrefixes;

const idBody = "[a-z2-7]{26}";

export function idSchema(kind: IdKind) {
  return z.string().regex(new RegExp(`^${idPrefixes[kind]}_${idBody}$`), `must be a ${kind} id (${idPrefixes[kind]}_…)`);
}

export const tenantId = idSchema("tenant");
export const userId = idSchema("user");
export const apiKeyId = idSchema("apiKey");
export const holdId = idSchema("hold");
export const documentId = idSchema("document");
export const chunkId = idSchema("chunk");
export const conversationId = idSchema("conversation");
export const visitorId = idSchema("visitor");
export const runId = idSchema("run");
export const invitationId = idSchema("invitation");

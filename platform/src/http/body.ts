import type { IncomingMessage } from "node:http";
import { DomainError } from "../errors.ts";

/** Reads a JSON body of at most `limit` bytes; a larger one is refused before it is all read. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  if (!/^application\/json\b/i.test(type)) {
    throw new DomainError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new DomainError("invalid_input", "The request body is not valid JSON");
  }
}

const tooLarge = (limit: number) => new DomainError("payload_too_large", `The request body is over ${limit} bytes`);

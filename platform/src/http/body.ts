import type { IncomingMessage } from "node:http";
import { DomainError } from "../errors.ts";

/**
 * Reads a body of at most `limit` bytes (a larger one is refused before it is all read): JSON, or a
 * multipart/form-data upload (see formFields).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  const body = await readRaw(req, limit);
  if (body.length === 0) return undefined;
  if (/^multipart\/form-data\b/i.test(type)) return formFields(body, type);
  if (!/^application\/json\b/i.test(type)) {
    throw new DomainError("unsupported_media_type", "Send the body as JSON (Content-Type: application/json) or as multipart/form-data");
  }
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new DomainError("invalid_input", "The request body is not valid JSON");
  }
}

/** The body's bytes as sent (a signature is checked on them), refusing one over `limit` before it is all read. */
export async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (limit: number) => new DomainError("payload_too_large", `The request body is over ${limit} bytes`);

/**
 * A form upload as the same object a JSON body would be: each field by name, a file as its content. A file is
 * UTF-8 text, except when the form says `format=pdf`, where it is base64 as in JSON. `title` defaults to the file's
 * name. So `curl -F format=pdf -F content=@manual.pdf` adds a PDF.
 */
async function formFields(body: Buffer, type: string): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new DomainError("invalid_input", "The request body is not valid multipart/form-data");
  }
  const binary = form.get("format") === "pdf";
  const fields: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === "string") {
      fields[name] = value;
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    fields[name] = binary ? bytes.toString("base64") : bytes.toString("utf8");
    fields.title ??= value.name.replace(/\.[^.]*$/, "");
  }
  return fields;
}

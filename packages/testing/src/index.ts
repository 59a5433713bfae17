export * from "./http.ts";
export * from "./factories.ts";
export type { RecordedRequest } from "./stand-in.ts";
export * from "./qdrant-server.ts";
export * from "./embeddings-server.ts";
export * from "./anthropic-server.ts";
export * from "./smtp-server.ts";
export * from "./platform-process.ts";
export * from "./axe.ts";

export * from "./ids.ts";
export * from "./keys.ts";
export * from "./errors.ts";
export * from "./agents/index.ts";
export * from "./credits.ts";
export * from "./billing.ts";
export * from "./chat.ts";
export type * from "./widget.ts";
export * from "./markdown.ts";

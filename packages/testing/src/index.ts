export * from "./http.ts";
export * from "./factories.ts";

import { errorReasons } from "@bizbot/shared";
import { z } from "zod";
import { inputSchemaOf, type RestRoute } from "./rest.ts";

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const errorBody: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: Object.keys(errorReasons) },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Field errors by dotted path" },
      },
    },
  },
};

const errorResponses = {
  "400": "Invalid input",
  "401": "Missing, invalid, revoked or expired secret key",
  "403": "A publishable key, or not allowed",
  "429": "Rate limited; see Retry-After",
  "500": "Internal error",
};

/** The OpenAPI 3.1 document of /v1, built from the same procedures and zod schemas that serve it. */
export function openApiDocument(routes: RestRoute[], serverUrl: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const input = inputSchemaOf(route);
    const inputSchema = input ? toSchema(input, "input") : undefined;
    const properties = (inputSchema?.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((inputSchema?.required ?? []) as string[]);
    const inBody = route.method === "POST" || route.method === "PATCH";
    const parameters = [
      ...route.params.map((name) => ({ name, in: "path", required: true, schema: properties[name] ?? { type: "string" } })),
      ...(inBody
        ? []
        : Object.entries(properties)
            .filter(([name]) => !route.params.includes(name))
            .map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema }))),
    ];
    const output = (route.procedure._def as { output?: z.ZodType }).output;
    (paths[route.template.replace(/^\/v1/, "")] ??= {})[route.method.toLowerCase()] = {
      operationId: route.procedurePath,
      summary: route.meta.rest.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(inBody && inputSchema ? { requestBody: { required: true, content: { "application/json": { schema: inputSchema } } } } : {}),
      responses: {
        "200": { description: "OK", content: { "application/json": { schema: output ? toSchema(output, "output") : {} } } },
        ...Object.fromEntries(
          Object.entries(errorResponses).map(([status, description]) => [
            status,
            { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          ]),
        ),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "BizBot API", version: "1", description: "Server-side API for tenants. Authenticate with `Authorization: Bearer sk_…`." },
    servers: [{ url: `${serverUrl.replace(/\/$/, "")}/v1` }],
    security: [{ secretKey: [] }],
    components: {
      securitySchemes: { secretKey: { type: "http", scheme: "bearer", description: "A secret key, sk_test_… or sk_live_…" } },
      schemas: { Error: errorBody },
    },
    paths,
  };
}

import { agents, errorReasons } from "@bizbot/shared";
import { inputSchemaOf as agentInputSchema, outputSchemaOf as agentOutputSchema } from "../agents/catalogue.ts";
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
    const inQuery = (name: string) => !route.params.includes(name) && (!inBody || route.meta.rest.query?.includes(name));
    const parameters = [
      ...route.params.map((name) => ({ name, in: "path", required: true, schema: properties[name] ?? { type: "string" } })),
      ...Object.entries(properties)
        .filter(([name]) => inQuery(name))
        .map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema })),
      ...Object.entries(route.meta.rest.headers ?? {}).map(([name, description]) => ({
        name,
        in: "header",
        required: false,
        description,
        schema: { type: "string" },
      })),
    ];
    // The body holds what neither the path nor the query string does.
    const bodySchema = inputSchema && {
      ...inputSchema,
      properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !route.params.includes(name) && !route.meta.rest.query?.includes(name))),
      ...(inputSchema.required ? { required: (inputSchema.required as string[]).filter((name) => !route.params.includes(name)) } : {}),
    };
    const output = (route.procedure._def as { output?: z.ZodType }).output;
    (paths[route.template.replace(/^\/v1/, "")] ??= {})[route.method.toLowerCase()] = {
      operationId: route.procedurePath,
      summary: route.meta.rest.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(inBody && bodySchema ? { requestBody: { required: true, content: { "application/json": { schema: bodySchema } } } } : {}),
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
  const schemas: Record<string, JsonSchema> = { Error: errorBody };
  for (const agent of agents) {
    schemas[`${pascal(agent.id)}Input`] = agentInputSchema(agent.id);
    schemas[`${pascal(agent.id)}Output`] = agentOutputSchema(agent.id);
  }
  addAgentRunPaths(paths);
  return {
    openapi: "3.1.0",
    info: { title: "BizBot API", version: "1", description: "Server-side API for tenants. Authenticate with `Authorization: Bearer sk_…`." },
    servers: [{ url: `${serverUrl.replace(/\/$/, "")}/v1` }],
    security: [{ secretKey: [] }],
    components: {
      securitySchemes: { secretKey: { type: "http", scheme: "bearer", description: "A secret key, sk_test_… or sk_live_…" } },
      schemas,
    },
    paths,
  };
}

const pascal = (id: string) => id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/**
 * Each agent's run as a path of its own (`/agents/data-processor/runs`), with that agent's input and output in
 * place of the generic ones, so that clients generated from this document are typed per agent. OpenAPI matches
 * concrete paths before the templated one.
 */
function addAgentRunPaths(paths: Record<string, Record<string, unknown>>) {
  const generic = paths["/agents/{agentId}/runs"]?.post as Record<string, unknown> | undefined;
  if (!generic) return;
  const body = (generic.requestBody as { content: { "application/json": { schema: JsonSchema } } }).content["application/json"].schema;
  const responses = generic.responses as Record<string, { content?: { "application/json": { schema: JsonSchema } } }>;
  const run = responses["200"]!.content!["application/json"].schema;
  for (const agent of agents) {
    const name = pascal(agent.id);
    const typedRun = {
      ...run,
      properties: { ...(run.properties as object), output: { anyOf: [{ $ref: `#/components/schemas/${name}Output` }, { type: "null" }] } },
    };
    paths[`/agents/${agent.id}/runs`] = {
      post: {
        ...generic,
        operationId: `agents.run.${agent.id}`,
        summary: `Run the ${agent.name} (${agent.credits} credits): ${agent.description}`,
        parameters: (generic.parameters as Array<{ in: string }>).filter((p) => p.in !== "path"),
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { ...body, properties: { ...(body.properties as object), input: { $ref: `#/components/schemas/${name}Input` } } } },
          },
        },
        responses: {
          ...responses,
          "200": { description: "The finished run", content: { "application/json": { schema: typedRun } } },
          "202": { description: "The run, still queued or running: read it later at /runs/{runId}", content: { "application/json": { schema: typedRun } } },
        },
      },
    };
  }
}

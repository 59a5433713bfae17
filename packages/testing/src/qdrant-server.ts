import { HttpError, startStandIn, type Reply, type StandIn } from "./stand-in.ts";

export type QdrantStandIn = StandIn;

type PointId = string | number;
type Payload = Record<string, unknown>;
type Range = { lt?: number; lte?: number; gt?: number; gte?: number };
/** A payload field that equals a value (`match`), or a number within bounds (`range`); a point without the field matches neither. */
type Condition = { key: string; value: unknown } | { key: string; range: Range };
interface Collection {
  size: number;
  distance: "Cosine" | "Dot";
  points: Map<PointId, { vector: number[]; payload: Payload; version: number }>;
  payloadSchema: Record<string, { data_type: "keyword"; params: { type: "keyword"; is_tenant: boolean } }>;
}

const uuidPattern = /^\{?(?:urn:uuid:)?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;
/** Seconds the request took, as Qdrant reports it; nothing reads it. */
const time = 0.0001;

/**
 * An in-memory stand-in for Qdrant's REST API, for the calls the platform's vector adapter makes through
 * @qdrant/js-client-rest: collection exists / get / create / delete, keyword payload index, upsert of points,
 * delete by filter and `points/query`. Filters and cosine scores are computed for real, since tenant isolation
 * and ranking are what the tests check. Anything else it does not understand is refused with a 400, never ignored.
 */
export async function startQdrantStandIn(): Promise<QdrantStandIn> {
  const collections = new Map<string, Collection>();
  let operationId = 0;
  const ok = (result: unknown): Reply => ({ status: 200, body: { result, status: "ok", time } });
  const updated = (id = ++operationId) => ok({ operation_id: id, status: "completed" });

  const find = (name: string): Collection => {
    const collection = collections.get(name);
    if (!collection) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return collection;
  };

  const routes: Record<string, (name: string, body: Record<string, unknown>) => Reply> = {
    "GET /exists": (name) => ok({ exists: collections.has(name) }),
    "GET ": (name) => {
      const c = find(name);
      const payloadSchema = Object.fromEntries(
        Object.entries(c.payloadSchema).map(([key, index]) => [key, { ...index, points: [...c.points.values()].filter((p) => key in p.payload).length }]),
      );
      // Only the parts of CollectionInfo a client reads; the HNSW, optimizer and WAL settings are left out.
      return ok({
        status: "green",
        optimizer_status: "ok",
        indexed_vectors_count: 0,
        points_count: c.points.size,
        segments_count: 1,
        config: {
          params: {
            vectors: { size: c.size, distance: c.distance },
            shard_number: 1,
            replication_factor: 1,
            write_consistency_factor: 1,
            on_disk_payload: true,
          },
        },
        payload_schema: payloadSchema,
      });
    },
    "PUT ": (name, body) => {
      if (collections.has(name)) throw new HttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
      const vectors = body.vectors as { size?: unknown; distance?: unknown } | undefined;
      if (!vectors || !Number.isInteger(vectors.size) || (vectors.size as number) < 1 || (vectors.distance !== "Cosine" && vectors.distance !== "Dot")) {
        throw new HttpError(400, "Wrong input: the stand-in supports one unnamed vector: {size, distance: Cosine|Dot}");
      }
      collections.set(name, { size: vectors.size as number, distance: vectors.distance, points: new Map(), payloadSchema: {} });
      return ok(true);
    },
    "DELETE ": (name) => ok(collections.delete(name)),
    "PUT /index": (name, body) => {
      const c = find(name);
      const schema = body.field_schema as string | { type?: unknown; is_tenant?: unknown } | undefined;
      const type = typeof schema === "string" ? schema : schema?.type;
      if (typeof body.field_name !== "string" || type !== "keyword") throw new HttpError(400, "Wrong input: the stand-in supports keyword indexes only");
      c.payloadSchema[body.field_name] = {
        data_type: "keyword",
        params: { type: "keyword", is_tenant: typeof schema === "object" && schema.is_tenant === true },
      };
      return updated();
    },
    "PUT /points": (name, body) => {
      const c = find(name);
      if (!Array.isArray(body.points)) throw new HttpError(400, "Wrong input: the stand-in supports the {points: [...]} form only");
      // Everything is checked before anything is written: Qdrant applies an upsert whole or not at all.
      const points = (body.points as Array<{ id: unknown; vector: unknown; payload?: Payload | null }>).map((p) => ({
        id: pointId(p.id),
        vector: checkVector(p.vector, c.size),
        payload: p.payload ?? {},
      }));
      const version = ++operationId;
      for (const p of points) c.points.set(p.id, { vector: c.distance === "Cosine" ? normalise(p.vector) : p.vector, payload: p.payload, version });
      return updated(version);
    },
    "POST /points/delete": (name, body) => {
      const c = find(name);
      const conditions = parseFilter(body.filter);
      for (const [id, point] of c.points) if (matches(point.payload, conditions)) c.points.delete(id);
      return updated();
    },
    "POST /points/query": (name, body) => {
      const c = find(name);
      const conditions = body.filter === undefined || body.filter === null ? [] : parseFilter(body.filter);
      let query = checkVector(body.query, c.size);
      if (c.distance === "Cosine") query = normalise(query);
      const limit = (body.limit as number | undefined) ?? 10;
      const offset = (body.offset as number | undefined) ?? 0;
      const threshold = body.score_threshold as number | undefined;
      const hits = [...c.points]
        .filter(([, point]) => matches(point.payload, conditions))
        .map(([id, point]) => ({ id, version: point.version, score: dot(query, point.vector), payload: point.payload }))
        .filter((hit) => threshold === undefined || hit.score >= threshold)
        .sort((a, b) => b.score - a.score)
        .slice(offset, offset + limit)
        .map(({ payload, ...hit }) => {
          const selected = selectPayload(payload, body.with_payload);
          return selected ? { ...hit, payload: selected } : hit;
        });
      return ok({ points: hits });
    },
  };

  return startStandIn(
    (request) => {
      const match = /^\/collections\/([^/]+)(\/.*)?$/.exec(request.path);
      const route = match && routes[`${request.method} ${match[2] ?? ""}`];
      if (!match || !route) throw new HttpError(404, `Not found: the stand-in does not serve ${request.method} ${request.path}`);
      return route(decodeURIComponent(match[1]!), (request.body ?? {}) as Record<string, unknown>);
    },
    (_status, message) => ({ status: { error: message }, time }),
  );
}

function pointId(id: unknown): PointId {
  if (typeof id === "number" && Number.isInteger(id) && id >= 0) return id;
  const parts = typeof id === "string" ? uuidPattern.exec(id) : null;
  if (!parts)
    throw new HttpError(
      400,
      `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
    );
  return parts.slice(1).join("-").toLowerCase();
}

function checkVector(vector: unknown, size: number): number[] {
  if (!Array.isArray(vector) || !vector.every((x) => typeof x === "number"))
    throw new HttpError(400, "Wrong input: the stand-in supports plain dense vectors only");
  if (vector.length !== size) throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${size}, got ${vector.length}`);
  return vector;
}

/** `must` conditions of exact matches and numeric ranges, the only filters the adapter sends; anything else is refused, not ignored. */
function parseFilter(filter: unknown): Condition[] {
  const { must, ...rest } = (filter ?? {}) as { must?: unknown };
  if (!must || Object.values(rest).some((v) => v !== null && v !== undefined))
    throw new HttpError(400, "Wrong input: the stand-in supports filters of `must` conditions only");
  return (Array.isArray(must) ? must : [must]).map((condition: { key?: unknown; match?: { value?: unknown }; range?: Record<string, unknown> }) => {
    const { key, match, range } = condition;
    if (typeof key === "string" && match?.value !== undefined) return { key, value: match.value };
    const bounds = range ? Object.entries(range).filter(([, v]) => v !== null && v !== undefined) : [];
    if (typeof key === "string" && bounds.length > 0 && bounds.every(([k, v]) => ["lt", "lte", "gt", "gte"].includes(k) && typeof v === "number")) {
      return { key, range: Object.fromEntries(bounds) as Range };
    }
    throw new HttpError(400, "Wrong input: the stand-in supports {key, match: {value}} and {key, range: {lt, lte, gt, gte}} conditions only");
  });
}

function matches(payload: Payload, conditions: Condition[]): boolean {
  return conditions.every((condition) => {
    const actual = payload[condition.key];
    if ("value" in condition) return Array.isArray(actual) ? actual.includes(condition.value) : actual === condition.value;
    const { lt, lte, gt, gte } = condition.range;
    return (
      typeof actual === "number" &&
      (lt === undefined || actual < lt) &&
      (lte === undefined || actual <= lte) &&
      (gt === undefined || actual > gt) &&
      (gte === undefined || actual >= gte)
    );
  });
}

function selectPayload(payload: Payload, selector: unknown): Payload | null {
  if (selector === true) return payload;
  if (Array.isArray(selector)) return Object.fromEntries(Object.entries(payload).filter(([key]) => selector.includes(key)));
  return null;
}

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

function normalise(vector: number[]): number[] {
  const norm = Math.sqrt(dot(vector, vector));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

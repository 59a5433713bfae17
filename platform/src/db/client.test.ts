import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseLockedError, openDatabase } from "./client.ts";

const dir = mkdtempSync(join(tmpdir(), "bizbot-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("embedded database", () => {
  it("refuses a second opener while one holds it, and takes over a lock left by a dead process", async () => {
    // A lock file naming a process that no longer exists (pid far above any live one).
    writeFileSync(join(dir, "pglite.lock"), "4194300");
    const first = await openDatabase({ dataDir: dir });
    await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DatabaseLockedError);
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    await again.ping();
    await again.close();
  });
});

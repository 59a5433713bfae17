// The size budget of issue 12: the loader, which every page of a tenant's site loads, at most 3 KB gzip -9; the
// loader and the panel app together at most 30 KB. Reads the built files: `npm test` builds first (turbo.json's
// test task depends on this package's build); run alone, `npm run build` must come first, and the test says so.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, brotliCompressSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const KB = 1024;
const LOADER_BUDGET = 3 * KB;
const TOTAL_BUDGET = 30 * KB;
const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const manifestPath = join(dist, "manifest.json");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function built(): { loader: Buffer; app: Buffer; manifest: { loader: string; app: string } } {
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run \`npm run build\` in widget/ first`);
  if (statSync(manifestPath).mtimeMs < newestSource(join(root, "src")) - 1000) {
    throw new Error("widget/dist is older than widget/src: run `npm run build` in widget/ first");
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { loader: string; app: string };
  return { manifest, loader: readFileSync(join(dist, manifest.loader)), app: readFileSync(join(dist, manifest.app)) };
}

const gzip = (b: Buffer) => gzipSync(b, { level: 9 }).length;
const brotli = (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

describe("the widget's build", () => {
  it("writes the loader, the content-hashed app and the manifest naming them", () => {
    const { manifest } = built();
    expect(manifest.loader).toBe("widget.js");
    expect(manifest.app).toMatch(/^widget-app\.[\w-]{8,}\.js$/);
  });

  it("keeps both files as IIFEs that assign nothing but window.BizBot", () => {
    const { loader, app } = built();
    for (const file of [loader, app]) {
      const code = file.toString("utf8").trim();
      expect(code.startsWith("(function(){")).toBe(true);
      expect(code.endsWith("})();")).toBe(true);
    }
    // The app chunk must not carry zod (a value import of @bizbot/shared would).
    expect(app.toString("utf8")).not.toMatch(/ZodError|\$ZodType/);
    // The loader carries no Preact.
    expect(loader.toString("utf8")).not.toMatch(/__H|preact/i);
  });

  it("stays within budget: loader ≤ 3 KB, loader + app ≤ 30 KB, gzip -9", () => {
    const { loader, app } = built();
    const sizes = { loader: gzip(loader), app: gzip(app), loaderBrotli: brotli(loader), appBrotli: brotli(app) };
    console.info(`widget sizes (bytes): ${JSON.stringify(sizes)}`);
    expect(sizes.loader).toBeLessThanOrEqual(LOADER_BUDGET);
    expect(sizes.loader + sizes.app).toBeLessThanOrEqual(TOTAL_BUDGET);
  });
});

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { WidgetManifest } from "@bizbot/shared";
import { type ContentCoding, etagOf } from "../lib/http-cache.ts";

/** Where the widget workspace's build writes (widget/dist); tests give a folder of their own. */
export const WIDGET_DIST_DIR = fileURLToPath(new URL("../../../widget/dist/", import.meta.url));

/** One served file: its bytes as built and compressed, and an ETag for each. */
export interface WidgetFile {
  name: string;
  bodies: Record<ContentCoding, Buffer>;
  etags: Record<ContentCoding, string>;
}

export interface WidgetBuild {
  /** Served at /widget.js. */
  loader: WidgetFile;
  /** Served at /widget/<its name>; null for a build without a manifest, whose one file is loader and app together. */
  app: WidgetFile | null;
}

/** The widget's build is not there (or lacks a file its manifest names). */
export class WidgetNotBuilt extends Error {
  override name = "WidgetNotBuilt";
}

/** A plain file name of the build's folder: no path, no leading dot, a script. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.js$/;
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * The widget's files, as its build wrote them: `manifest.json` (`{loader, app}`) names the loader and the panel app
 * (a content-hashed name). A build without a manifest (the single-file widget of earlier versions) serves its
 * `widget.js` as the loader and no app. Read and compressed (brotli quality 11, gzip level 9) once, at first use, and
 * kept in memory for the life of the process; while the build is missing, every call looks again.
 */
export class WidgetAssets {
  private build: Promise<WidgetBuild> | undefined;

  constructor(readonly dir: string = WIDGET_DIST_DIR) {}

  current(): Promise<WidgetBuild> {
    this.build ??= loadBuild(this.dir).catch((error: unknown) => {
      this.build = undefined;
      throw error;
    });
    return this.build;
  }
}

async function loadBuild(dir: string): Promise<WidgetBuild> {
  const manifest = await readManifest(dir);
  const [loader, app] = await Promise.all([loadFile(dir, manifest?.loader ?? "widget.js"), manifest ? loadFile(dir, manifest.app) : null]);
  return { loader, app };
}

async function readManifest(dir: string): Promise<WidgetManifest | null> {
  let text: string;
  try {
    text = await readFile(join(dir, "manifest.json"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const manifest = JSON.parse(text) as Partial<WidgetManifest> | null;
  if (typeof manifest?.loader !== "string" || typeof manifest.app !== "string" || !FILE_NAME.test(manifest.loader) || !FILE_NAME.test(manifest.app)) {
    throw new Error(`${join(dir, "manifest.json")} must name two scripts of its folder: {"loader": "widget.js", "app": "widget-app.<hash>.js"}`);
  }
  return { loader: manifest.loader, app: manifest.app };
}

async function loadFile(dir: string, name: string): Promise<WidgetFile> {
  let identity: Buffer;
  try {
    identity = await readFile(join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new WidgetNotBuilt(`The widget is not built (no ${name} in ${dir}); run \`npm run build\``);
    throw error;
  }
  // On libuv's thread pool: the event loop keeps serving while quality 11 takes its time.
  const [br, gzip] = await Promise.all([
    brotli(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    gzipped(identity, { level: 9 }),
  ]);
  return {
    name,
    bodies: { identity, br, gzip },
    etags: { identity: etagOf(identity), br: etagOf(identity, "-br"), gzip: etagOf(identity, "-gzip") },
  };
}

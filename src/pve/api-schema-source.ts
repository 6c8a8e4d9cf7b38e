// The cluster's own API schema: from --api-schema FILE, or from the host
// (/pve-docs/api-viewer/apidoc.js) through a disk cache keyed by the PVE version that
// GET /version reports (PVE 7, 8 and 9 differ).

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  API_SCHEMA_PATH,
  fetchApiSchemaText,
  parseApiSchema,
  type SchemaNode,
} from "./api-schema.ts";
import { ApiSchema } from "./api-schema-index.ts";
import type { PveClient } from "./client.ts";
import { VERSION } from "./endpoints/cluster.ts";
import { PveConnectionError, PveError } from "./errors.ts";

export interface SchemaLoadOptions {
  schemaFile?: string;
  cacheDir?: string;
}

/** A schema, or why there is none (and whether asking again later may help). */
export type SchemaState =
  | { schema: ApiSchema; reason?: undefined }
  | { schema?: undefined; reason: string; transient: boolean };

/** One cluster's schema, loaded on first use and kept; a transient failure is retried next time. */
export class ApiSchemaSource {
  readonly #pve: () => PveClient;
  readonly #options: SchemaLoadOptions;
  #state?: Promise<SchemaState>;

  constructor(pve: () => PveClient, options: SchemaLoadOptions) {
    this.#pve = pve;
    this.#options = options;
  }

  get(): Promise<SchemaState> {
    if (!this.#state) {
      const state = loadApiSchema(this.#pve(), this.#options);
      this.#state = state;
      state.then((s) => {
        if (s.reason !== undefined && s.transient && this.#state === state) this.#state = undefined;
      });
    }
    return this.#state;
  }
}

/** --api-schema FILE, read and indexed (throws with the file's name on failure). */
export function schemaFromFile(file: string): ApiSchema {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`api_schema ${file}: ${(error as Error).message}`);
  }
  try {
    return new ApiSchema(parseApiSchema(text), "file");
  } catch (error) {
    throw new Error(`api_schema ${file}: ${(error as Error).message}`);
  }
}

/** Reads the schema: the file when one is given, else the disk cache or the host itself. */
export async function loadApiSchema(
  pve: PveClient,
  options: SchemaLoadOptions,
): Promise<SchemaState> {
  if (options.schemaFile) {
    try {
      return { schema: schemaFromFile(options.schemaFile) };
    } catch (error) {
      return { reason: (error as Error).message, transient: false };
    }
  }
  const version = await pve.call(VERSION, {}).catch(() => undefined);
  const label = version?.version;
  const cacheFile =
    options.cacheDir && label
      ? join(options.cacheDir, `pve-api-${safe(label)}-${safe(version?.repoid ?? "")}.json`)
      : undefined;
  if (cacheFile) {
    try {
      return {
        schema: new ApiSchema(parseApiSchema(readFileSync(cacheFile, "utf8")), "cache", label),
      };
    } catch {
      // absent or damaged: fetch it again
    }
  }
  let text: string | undefined;
  try {
    text = await fetchApiSchemaText(pve);
  } catch (error) {
    const transient =
      error instanceof PveConnectionError || (error instanceof PveError && error.status >= 500);
    return { reason: `reading ${API_SCHEMA_PATH} failed: ${(error as Error).message}`, transient };
  }
  if (text === undefined) {
    return {
      reason: `the host serves no API schema at ${API_SCHEMA_PATH} (is the pve-docs package installed?)`,
      transient: false,
    };
  }
  let roots: SchemaNode[];
  try {
    roots = parseApiSchema(text);
  } catch (error) {
    return { reason: `${API_SCHEMA_PATH}: ${(error as Error).message}`, transient: false };
  }
  if (cacheFile) writeCache(cacheFile, roots);
  return { schema: new ApiSchema(roots, "host", label) };
}

const safe = (s: string): string => s.replace(/[^\w.-]/g, "_");

/** Best effort: a read-only cache directory only costs a fetch next time. */
function writeCache(file: string, roots: readonly SchemaNode[]): void {
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(roots));
    renameSync(tmp, file);
  } catch {
    // ignore: the schema is in memory for this process
  }
}

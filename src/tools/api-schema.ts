// The cluster's own API schema, loaded once per client on first use: from --api-schema FILE, or
// from the host (/pve-docs/api-viewer/apidata.js) through a disk cache keyed by the PVE version
// that GET /version reports (PVE 7, 8 and 9 differ). Indexed for path lookup and search.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  API_SCHEMA_PATH,
  fetchApiSchemaText,
  parseApiSchema,
  type SchemaMethod,
  type SchemaNode,
} from "../pve/api-schema.ts";
import type { PveClient } from "../pve/client.ts";
import { PveConnectionError, PveError } from "../pve/errors.ts";

export type SchemaSource = "file" | "host" | "cache";

export interface Endpoint {
  method: string;
  /** The template, e.g. /nodes/{node}/qemu/{vmid}/config. */
  path: string;
  info: SchemaMethod;
}

export interface Resolved {
  node: SchemaNode;
  /** Values of the template's {params}, from the concrete path. */
  pathParams: Record<string, string>;
}

const isParam = (text: string): boolean => text.startsWith("{") && text.endsWith("}");

export class ApiSchema {
  readonly endpoints: Endpoint[] = [];
  readonly #byPath = new Map<string, SchemaNode>();

  constructor(
    readonly roots: readonly SchemaNode[],
    readonly source: SchemaSource,
    readonly version?: string,
  ) {
    const walk = (nodes: readonly SchemaNode[] | undefined) => {
      for (const node of nodes ?? []) {
        this.#byPath.set(node.path, node);
        for (const [method, info] of Object.entries(node.info ?? {})) {
          this.endpoints.push({ method, path: node.path, info });
        }
        walk(node.children);
      }
    };
    walk(roots);
  }

  /** The node of a template path (`/nodes/{node}/status`), exactly as the schema spells it. */
  byTemplate(path: string): SchemaNode | undefined {
    return this.#byPath.get(path);
  }

  /** Finds the node of a concrete path; literal segments win over {params}, as PVE's router. */
  resolve(segments: readonly string[]): Resolved | undefined {
    const walk = (
      nodes: readonly SchemaNode[] | undefined,
      i: number,
      params: Record<string, string>,
    ): Resolved | undefined => {
      const segment = segments[i];
      if (!nodes || segment === undefined) return undefined;
      const literal = nodes.filter((n) => !isParam(n.text) && n.text === segment);
      const param = nodes.filter((n) => isParam(n.text));
      for (const node of [...literal, ...param]) {
        const next = isParam(node.text) ? { ...params, [node.text.slice(1, -1)]: segment } : params;
        if (i === segments.length - 1) return { node, pathParams: next };
        const found = walk(node.children, i + 1, next);
        if (found) return found;
      }
      return undefined;
    };
    return segments.length === 0 ? undefined : walk(this.roots, 0, {});
  }

  /** The deepest node the path reaches, for "no such path" answers. */
  closest(segments: readonly string[]): SchemaNode | undefined {
    let nodes: readonly SchemaNode[] | undefined = this.roots;
    let deepest: SchemaNode | undefined;
    for (const segment of segments) {
      const next: SchemaNode | undefined =
        nodes?.find((n) => n.text === segment) ?? nodes?.find((n) => isParam(n.text));
      if (!next) break;
      deepest = next;
      nodes = next.children;
    }
    return deepest;
  }

  /**
   * Endpoints whose path, name or description hold every word (path words weigh more); when
   * none holds them all, those holding most of them.
   */
  search(query: string, method?: string): Endpoint[] {
    const words = query
      .toLowerCase()
      .split(/[\s/,]+/)
      .filter(Boolean);
    const scored = this.endpoints
      .filter((e) => !method || e.method === method)
      .map((e) => {
        const path = e.path.toLowerCase();
        const text = `${e.info.name ?? ""} ${e.info.description ?? ""}`.toLowerCase();
        let score = 0;
        let hits = 0;
        for (const w of words) {
          const inPath = path.includes(w);
          const inText = text.includes(w);
          if (inPath || inText) hits++;
          score += (inPath ? 3 : 0) + (inText ? 1 : 0);
        }
        return { e, score, hits };
      })
      .filter((r) => r.hits > 0);
    const all = scored.filter((r) => r.hits === words.length);
    return (all.length > 0 ? all : scored)
      .sort(
        (a, b) =>
          b.hits - a.hits ||
          b.score - a.score ||
          a.e.path.length - b.e.path.length ||
          a.e.path.localeCompare(b.e.path),
      )
      .map((r) => r.e);
  }
}

export interface SchemaLoadOptions {
  schemaFile?: string;
  cacheDir?: string;
}

/** A schema, or why there is none (and whether asking again later may help). */
export type SchemaState =
  | { schema: ApiSchema; reason?: undefined }
  | { schema?: undefined; reason: string; transient: boolean };

const loaded = new WeakMap<PveClient, Promise<SchemaState>>();

/** The client's schema, loaded on first use and kept; a transient failure is retried next time. */
export function schemaFor(pve: PveClient, options: SchemaLoadOptions): Promise<SchemaState> {
  let state = loaded.get(pve);
  if (!state) {
    state = loadSchema(pve, options);
    loaded.set(pve, state);
    state.then((s) => {
      if (s.reason !== undefined && s.transient && loaded.get(pve) === state) loaded.delete(pve);
    });
  }
  return state;
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

async function loadSchema(pve: PveClient, options: SchemaLoadOptions): Promise<SchemaState> {
  if (options.schemaFile) {
    try {
      return { schema: schemaFromFile(options.schemaFile) };
    } catch (error) {
      return { reason: (error as Error).message, transient: false };
    }
  }
  const version = await pve
    .get<{ version?: string; repoid?: string }>("/version")
    .catch(() => undefined);
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

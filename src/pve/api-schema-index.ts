// The cluster's API schema indexed for path lookup (templates and concrete paths, as PVE's
// router resolves them) and for search by words.

import type { SchemaMethod, SchemaNode } from "./api-schema.ts";

export type SchemaSource = "file" | "host" | "cache";

export interface SchemaEndpoint {
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
  readonly endpoints: SchemaEndpoint[] = [];
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
  search(query: string, method?: string): SchemaEndpoint[] {
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

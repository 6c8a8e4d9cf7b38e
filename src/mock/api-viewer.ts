// GET /pve-docs/api-viewer/apidoc.js: the API viewer, which pveproxy serves as a static file of
// the pve-docs package (no login needed). The package installs only index.html and apidoc.js,
// which its Makefile builds by concatenating apidata.js (`const apiSchema = [...];`) with the
// viewer's code; apidata.js itself is not there (404). The mock serves the schema it was given
// (the official apidata.js, in tests), or else its own route table in apidata's tree form, each
// followed by viewer-like code, so clients that read the schema work against the demo too.

import { readFileSync } from "node:fs";
import type { IncomingRequest } from "./dispatch.ts";
import type { MockResponse } from "./http.ts";
import type { ParamSpec } from "./params.ts";
import { describe, type Route, type RouteDescription } from "./router.ts";

export const API_VIEWER_PATH = "/pve-docs/api-viewer/apidoc.js";

/** What follows the schema in apidoc.js: the viewer (PVEAPI.js, APIViewer.js), in short. */
const VIEWER_CODE = `\nExt.onReady(function () {\n  Ext.create("PVE.APIViewer", { renderTo: Ext.getBody(), apiSchema: apiSchema });\n});\n`;

export interface ApiViewerOptions {
  /** Serve this file (an apidata.js) instead of the mock's own routes. */
  file?: string;
  /** False: a host without the pve-docs package (404). Default true. */
  installed?: boolean;
}

interface TreeNode {
  path: string;
  text: string;
  leaf: number;
  info?: Record<string, unknown>;
  children?: TreeNode[];
}

/** Answers the schema's path (undefined for any other request). */
export function apiViewer(
  routes: readonly Route[],
  options: ApiViewerOptions = {},
): (req: IncomingRequest) => MockResponse | undefined {
  let body: string | undefined;
  return (req) => {
    const path = new URL(req.url, "http://mock").pathname;
    if (!path.startsWith("/pve-docs/")) return undefined;
    const headers = { Server: "pve-api-daemon/3.0" };
    // pveproxy serves the package's files as they are: anything else there is not found.
    if (
      path !== API_VIEWER_PATH ||
      options.installed === false ||
      req.method.toUpperCase() !== "GET"
    ) {
      return { status: 404, reason: "Not Found", headers, body: "" };
    }
    body ??= (options.file ? readFileSync(options.file, "utf8") : schemaText(routes)) + VIEWER_CODE;
    return {
      status: 200,
      reason: "OK",
      headers: { ...headers, "Content-Type": "application/javascript; charset=utf-8" },
      body,
    };
  };
}

/** The routes as apidata.js: `const apiSchema = [tree];`, one node per path segment. */
export function schemaText(routes: readonly Route[]): string {
  const roots: TreeNode[] = [];
  const described = describe(routes);
  routes.forEach((r, i) => {
    const route = described[i] as RouteDescription;
    let level = roots;
    let node: TreeNode | undefined;
    let path = "";
    for (const text of route.path.split("/").filter(Boolean)) {
      path += `/${text}`;
      node = level.find((n) => n.text === text);
      if (!node) {
        node = { path, text, leaf: 1 };
        level.push(node);
      }
      node.children ??= [];
      level = node.children;
    }
    if (!node) return;
    node.info = {
      ...node.info,
      [route.method]: {
        ...methodInfo(route),
        allowtoken: r.allowtoken === false ? 0 : 1,
        ...(r.proxyto ? { proxyto: r.proxyto } : {}),
      },
    };
  });
  const tidy = (nodes: TreeNode[]) => {
    for (const n of nodes) {
      if (n.children?.length) {
        n.leaf = 0;
        tidy(n.children);
      } else delete n.children;
    }
  };
  tidy(roots);
  return `const apiSchema = ${JSON.stringify(roots, null, 1)}\n;\n`;
}

function methodInfo(route: RouteDescription): Record<string, unknown> {
  const properties = Object.fromEntries(
    Object.entries(route.parameters).map(([name, spec]) => [name, property(spec)]),
  );
  return {
    method: route.method,
    description: route.description,
    parameters: { additionalProperties: 0, properties },
    permissions: route.permissions,
  };
}

function property(spec: ParamSpec): Record<string, unknown> {
  // `count` is the mock's own note of how many `name[n]` there are; apidata says it in words.
  const { optional, count: _count, ...rest } = spec;
  return { ...rest, ...(optional ? { optional: 1 } : {}) };
}

// `proxmox-mcp tools --check-api`: which curated tools call an endpoint, or send a parameter,
// that the connected cluster's API schema lacks (PVE 7, 8 and 9 differ). Each tool declares
// its endpoints (ToolDef.endpoints); the schema comes from --api-schema FILE alone (nothing is
// contacted), from the demo cluster (--demo), or from the host the settings name.

import type { Settings } from "../config/index.ts";
import type { ApiSchema } from "../pve/api-schema-index.ts";
import { loadApiSchema, schemaFromFile } from "../pve/api-schema-source.ts";
import { clientFromSettings } from "../pve/from-settings.ts";
import type { PveClient } from "../pve/index.ts";
import { apiAccessOptions } from "../server/api-settings.ts";
import { propertyFor } from "../tools/api-validate.ts";
import type { ToolDef } from "../tools/define.ts";

export interface ApiProblem {
  tool: string;
  method: string;
  path: string;
  problem: string;
}

export interface ApiCheck {
  /** Tools whose declared endpoints were held against the schema. */
  checked: string[];
  /** Tools that declare no endpoints: nothing to check them by. */
  unchecked: string[];
  /** Checked tools that call no Proxmox endpoint at all (they declare `endpoints: []`). */
  none: string[];
  /** Checked tools that also call paths their caller names (checked per call instead). */
  callerPaths: string[];
  endpoints: number;
  problems: ApiProblem[];
}

export function checkTools(schema: ApiSchema, tools: readonly ToolDef[]): ApiCheck {
  const result: ApiCheck = {
    checked: [],
    unchecked: [],
    none: [],
    callerPaths: [],
    endpoints: 0,
    problems: [],
  };
  for (const tool of tools) {
    if (!tool.endpoints) {
      result.unchecked.push(tool.name);
      continue;
    }
    result.checked.push(tool.name);
    if (tool.endpoints.length === 0) result.none.push(tool.name);
    if (tool.callerPaths) result.callerPaths.push(tool.name);
    for (const { method, path, params = [] } of tool.endpoints) {
      result.endpoints++;
      const problem = (text: string) =>
        result.problems.push({ tool: tool.name, method, path, problem: text });
      const node = schema.byTemplate(path);
      if (!node) {
        problem("path is not in this API");
        continue;
      }
      const info = node.info?.[method];
      if (!info) {
        const has = Object.keys(node.info ?? {});
        problem(`method is not in this API (the path has ${has.join(", ") || "no methods"})`);
        continue;
      }
      const additional = info.parameters?.additionalProperties;
      for (const name of params) {
        if (!propertyFor(info, name) && additional !== undefined && !additional) {
          problem(`parameter "${name}" is not in this API`);
        }
      }
    }
  }
  return result;
}

async function loadFor(settings: Settings): Promise<{ schema: ApiSchema; from: string }> {
  if (settings.api_schema) {
    return { schema: schemaFromFile(settings.api_schema), from: settings.api_schema };
  }
  let pve: PveClient;
  let stop = async () => {};
  if (settings.demo) {
    const { startMock } = await import("../mock/index.ts");
    const { PveClient: Client } = await import("../pve/index.ts");
    const mock = await startMock({ tls: true });
    stop = () => mock.stop();
    const c = mock.credentials;
    pve = new Client({
      origin: mock.url,
      verifyTls: true,
      ca: mock.certificate?.pem,
      timeoutMs: 30_000,
      user: c.user,
      tokenName: c.tokenId.split("!")[1],
      tokenValue: c.tokenSecret,
    });
  } else {
    pve = clientFromSettings(settings);
  }
  try {
    const state = await loadApiSchema(pve, apiAccessOptions(settings));
    if (!state.schema) throw new Error(`no API schema from ${pve.origin}: ${state.reason}`);
    return { schema: state.schema, from: settings.demo ? "the demo cluster" : pve.origin };
  } finally {
    await stop();
  }
}

/** Prints the report; the exit code is 1 when a tool needs what the API lacks. */
export async function runCheckApi(
  settings: Settings,
  tools: readonly ToolDef[],
  json: boolean,
): Promise<number> {
  const { schema, from } = await loadFor(settings);
  const result = checkTools(schema, tools);
  const version = schema.version ? ` of PVE ${schema.version}` : "";
  if (json) {
    console.log(
      JSON.stringify(
        {
          schema: { from, version: schema.version, endpoints: schema.endpoints.length },
          ...result,
        },
        null,
        2,
      ),
    );
    return result.problems.length > 0 ? 1 : 0;
  }
  const lines = [
    `API schema${version} from ${from} (${schema.endpoints.length} endpoints)`,
    `${result.checked.length} tools checked (${result.endpoints} endpoints): ${result.problems.length === 0 ? "all present" : `${result.problems.length} problem(s)`}`,
    ...result.problems.map((p) => `  ${p.tool}: ${p.method} ${p.path}: ${p.problem}`),
  ];
  if (result.none.length > 0) {
    lines.push(`${result.none.length} of them call no Proxmox endpoint: ${result.none.join(", ")}`);
  }
  if (result.callerPaths.length > 0) {
    lines.push(
      `${result.callerPaths.join(", ")} also call the paths they are given, each checked against the cluster's schema when called`,
    );
  }
  if (result.unchecked.length > 0) {
    lines.push(
      `${result.unchecked.length} tools declare no endpoints (not checked): ${result.unchecked.join(", ")}`,
    );
  }
  console.log(lines.join("\n"));
  return result.problems.length > 0 ? 1 : 0;
}

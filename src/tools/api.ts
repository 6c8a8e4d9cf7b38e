// The long tail of the Proxmox API (SDN, Ceph, ACME, notifications, metrics…) through three
// tools, each one kind of effect so read-only filtering by annotation stays honest:
// proxmox_api_get reads (listed in read-only mode), proxmox_api writes (destructive: confirmed
// and audited like every destructive tool), describe_api reads the schema itself.

import { z } from "zod";
import type { SchemaNode } from "../pve/api-schema.ts";
import type { ApiSchema, SchemaEndpoint } from "../pve/api-schema-index.ts";
import { CLUSTER_RESOURCES, VERSION } from "../pve/endpoints/index.ts";
import { type ApiMethod, accessOf, noSuchPath, prepareCall, splitPath } from "./api-call.ts";
import { brief, type ParamRow, paramRows, privileges, returnsText } from "./api-describe.ts";
import { wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext, type ToolDef } from "./define.ts";
import { ToolError } from "./errors.ts";
import { settleTask, TASK_ENDPOINTS, taskFields } from "./task-result.ts";

const path = z
  .string()
  .min(1)
  .max(1024)
  .describe("API path after /api2/json, e.g. /cluster/sdn/zones or /nodes/pve1/ceph/status");

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const params = z
  .record(z.string(), z.union([scalar, z.array(scalar)]))
  .optional()
  .describe(
    'Parameters by the API\'s own names, e.g. {"timeout": 30}; booleans as true/false, a list for a repeated key',
  );

const callOutput = {
  path: z.string().describe("the path as sent"),
  endpoint: z.string().optional().describe("the schema's template of the path"),
  checked: z.boolean().describe("whether the call was checked against the API schema"),
  notice: z.string().optional(),
  data: z.json().describe("what Proxmox answered (the `data` of its reply)"),
};

async function send(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  method: ApiMethod,
  rawPath: string,
  given: Record<string, z.infer<typeof scalar> | z.infer<typeof scalar>[]> | undefined,
) {
  const call = await prepareCall(ctx, method, rawPath, given ?? {});
  // Whatever PVE answered is JSON: it came out of a JSON body.
  const data = (await accessOf(ctx).request(method, call.path, call.params, {
    signal: ctx.signal,
  })) as z.core.util.JSONType | undefined;
  return { call, data: data ?? null };
}

export const proxmoxApiGet = defineTool({
  name: "proxmox_api_get",
  title: "Read any API path",
  toolset: "api",
  description:
    "GET any Proxmox VE API path with params, for what no other tool covers. Path and params are first checked against the cluster's own API schema (wrong ones are explained, nothing is sent); find paths with describe_api.",
  input: z.strictObject({ path, params }),
  output: z.object({ method: z.literal("GET"), ...callOutput }),
  annotations: READ,
  endpoints: [VERSION, CLUSTER_RESOURCES],
  callerPaths: true,
  async handler(args, ctx) {
    const { call, data } = await send(ctx, "GET", args.path, args.params);
    return {
      data: {
        method: "GET" as const,
        path: call.path,
        endpoint: call.endpoint,
        checked: call.checked,
        notice: call.notice,
        data,
      },
    };
  },
});

export const proxmoxApi = defineTool({
  name: "proxmox_api",
  title: "Write to any API path",
  toolset: "api",
  description:
    "POST, PUT or DELETE any Proxmox VE API path with params (reads: proxmox_api_get). Checked against the cluster's API schema before sending; refused without one. Can change or delete anything the credentials allow. Waits for a returned task.",
  input: z.strictObject({
    method: z.enum(["POST", "PUT", "DELETE"]).describe("HTTP method (GET: use proxmox_api_get)"),
    path,
    params,
    wait,
  }),
  output: z.object({ method: z.enum(["POST", "PUT", "DELETE"]), ...callOutput, ...taskFields }),
  annotations: DESTRUCTIVE,
  endpoints: [VERSION, CLUSTER_RESOURCES, ...TASK_ENDPOINTS],
  callerPaths: true,
  async handler(args, ctx) {
    const { call, data } = await send(ctx, args.method, args.path, args.params);
    const task = await settleTask(ctx, data, `${args.method} ${call.path}`, args.wait);
    return {
      data: {
        method: args.method,
        path: call.path,
        endpoint: call.endpoint,
        checked: call.checked,
        data,
        ...task,
      },
    };
  },
});

const paramRow = z.object({
  name: z.string(),
  type: z.string(),
  required: z.boolean(),
  in_path: z.boolean().optional(),
  description: z.string().optional(),
  enum: z.array(z.string()).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  default: z.string().optional(),
  format: z.string().optional(),
});

const endpointRow = z.object({
  method: z.string(),
  path: z.string(),
  description: z.string(),
  privileges: z.string().describe("what the credentials need"),
  token_allowed: z.boolean().optional().describe("false: API tokens are refused here"),
  parameters: z.array(paramRow).optional().describe("in detail answers"),
  parameter_names: z.array(z.string()).optional().describe("in search listings"),
  returns: z.string().optional(),
  denied: z.string().optional().describe("why this server refuses raw calls to it"),
});

type EndpointRow = z.infer<typeof endpointRow>;

export const describeApi = defineTool({
  name: "describe_api",
  title: "Search and describe the API",
  toolset: "api",
  description:
    "Search the cluster's own API schema by words (query), or describe one path (template or concrete): its methods, parameters with types, enums and ranges, required privileges, and what it returns.",
  input: z.strictObject({
    query: z.string().min(1).max(200).optional().describe("Words to find, e.g. 'sdn zone'"),
    path: z.string().min(1).max(1024).optional().describe("A path to describe in full"),
    method: z.enum(["GET", "POST", "PUT", "DELETE"]).optional(),
    limit: z.number().int().min(1).max(100).optional().describe("At most this many (default 20)"),
  }),
  output: z.object({
    schema: z.object({
      source: z.enum(["file", "host", "cache"]),
      version: z.string().optional().describe("PVE version the schema belongs to"),
      endpoints: z.number(),
    }),
    endpoints: z.array(endpointRow),
    total: z.number().describe("matches before the limit"),
    children: z.array(z.string()).optional().describe("sub-paths of the described path"),
  }),
  annotations: READ,
  endpoints: [VERSION],
  async handler(args, ctx) {
    if (!args.query && !args.path) {
      throw new ToolError("give a query (words to search) or a path to describe");
    }
    const access = accessOf(ctx);
    const state = await access.schema();
    if (!state.schema) {
      throw new ToolError(
        `no API schema: ${state.reason}`,
        "Install the pve-docs package on the host, or give this server the schema with --api-schema FILE.",
      );
    }
    const schema = state.schema;
    let found: SchemaEndpoint[];
    let node: SchemaNode | undefined;
    if (args.path) {
      const segments = splitPath(args.path);
      node = schema.byTemplate(`/${segments.join("/")}`) ?? schema.resolve(segments)?.node;
      if (!node) throw new ToolError(`${args.path}: ${noSuchPath(schema, segments)}`);
      const at = node;
      found = Object.entries(at.info ?? {}).map(([method, info]) => ({
        method,
        path: at.path,
        info,
      }));
      found = found.filter((e) => !args.method || e.method === args.method);
    } else {
      found = schema.search(args.query ?? "", args.method);
    }
    const detail = Boolean(args.path) || found.length <= 3;
    const rows = found.slice(0, args.limit ?? 20).map((e): EndpointRow => {
      const denied = access.refusal(e.method, e.path.split("/").filter(Boolean));
      return {
        method: e.method,
        path: e.path,
        description: detail ? (e.info.description ?? "") : brief(e.info.description),
        privileges: privileges(e.info.permissions),
        ...(e.info.allowtoken === 0 ? { token_allowed: false } : {}),
        ...(detail
          ? { parameters: paramRows(e), returns: returnsText(e.info.returns) }
          : { parameter_names: paramRows(e).map((p) => p.name) }),
        ...(denied ? { denied: `refused by this server: ${denied}` } : {}),
      };
    });
    const children = node?.children?.map((c) => c.path);
    return {
      data: {
        schema: {
          source: schema.source,
          version: schema.version,
          endpoints: schema.endpoints.length,
        },
        endpoints: rows,
        total: found.length,
        ...(children && children.length > 0 ? { children } : {}),
      },
      text: renderDescription(schema, rows, found.length, children),
    };
  },
});

function renderDescription(
  schema: ApiSchema,
  rows: EndpointRow[],
  total: number,
  children?: string[],
): string {
  const head = `API schema${schema.version ? ` of PVE ${schema.version}` : ""} (${schema.source}, ${schema.endpoints.length} endpoints): ${total} match${total === 1 ? "" : "es"}${rows.length < total ? `, ${rows.length} shown` : ""}`;
  const lines = [head];
  for (const r of rows) {
    lines.push(`${r.method} ${r.path} — ${r.description}`);
    lines.push(
      `  privileges: ${r.privileges}${r.token_allowed === false ? " (no API tokens)" : ""}`,
    );
    if (r.denied) lines.push(`  ${r.denied}`);
    if (r.parameters) {
      lines.push(
        r.parameters.length > 0 ? "  parameters:" : "  parameters: none",
        ...r.parameters.map((p) => `    ${paramLine(p)}`),
      );
    } else if (r.parameter_names && r.parameter_names.length > 0) {
      lines.push(`  parameters: ${r.parameter_names.join(", ")}`);
    }
    if (r.returns) lines.push(`  returns: ${r.returns}`);
  }
  if (children && children.length > 0) lines.push(`sub-paths: ${children.join(", ")}`);
  return lines.join("\n");
}

function paramLine(p: ParamRow): string {
  const facts = [
    p.type,
    p.required ? "required" : "optional",
    p.in_path ? "in path" : undefined,
    p.enum ? `one of ${p.enum.join("|")}` : undefined,
    p.minimum !== undefined || p.maximum !== undefined
      ? `${p.minimum ?? ""}..${p.maximum ?? ""}`
      : undefined,
    p.default !== undefined ? `default ${p.default}` : undefined,
  ].filter(Boolean);
  return `${p.name} (${facts.join(", ")}): ${p.description ?? ""}`;
}

export const apiTools: ToolDef[] = [proxmoxApiGet, proxmoxApi, describeApi];

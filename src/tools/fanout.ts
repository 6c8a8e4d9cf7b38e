// Listings that span nodes: ask every node in parallel and answer for those that reply, naming
// each node that is offline or failed instead of failing the whole call.

import { z } from "zod";
import { CLUSTER_RESOURCES } from "../pve/endpoints/index.ts";
import { PveConnectionError, PveError } from "../pve/index.ts";
import type { ToolContext } from "./define.ts";

export const unreachableField = z
  .array(z.object({ node: z.string(), error: z.string() }))
  .describe("nodes that did not answer (offline or failed); the rest of the result is complete");

export interface NodeFailure {
  node: string;
  error: string;
}

/** Something to ask on one node: the node itself, or a storage on it. */
export interface Target {
  node: string;
  online: boolean;
  /** Named by the caller (not found by listing): errors propagate instead of being collected. */
  explicit?: boolean;
}

export interface FanOut<T extends Target, R> {
  results: { target: T; value: R }[];
  unreachable: NodeFailure[];
}

/** Why a node did not answer, in one line. */
export function failureText(error: unknown): string {
  if (error instanceof PveError) return `${error.status} ${error.reason}`;
  if (error instanceof PveConnectionError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `fn` on each target in parallel. Targets on a node known offline are reported without a
 * request; a failing request is reported with PVE's answer; the client is warned once. A single
 * target the caller named is different: its error is the answer.
 */
export async function onEach<T extends Target, R>(
  ctx: ToolContext<never>,
  targets: T[],
  fn: (target: T) => Promise<R>,
): Promise<FanOut<T, R>> {
  const [only] = targets;
  if (targets.length === 1 && only?.explicit) {
    return { results: [{ target: only, value: await fn(only) }], unreachable: [] };
  }
  const failures = new Map<string, string>();
  for (const t of targets) if (!t.online) failures.set(t.node, "node is offline");
  const online = targets.filter((t) => t.online);
  const settled = await Promise.allSettled(online.map((t) => fn(t)));
  const results: FanOut<T, R>["results"] = [];
  settled.forEach((s, i) => {
    const target = online[i] as T;
    if (s.status === "fulfilled") results.push({ target, value: s.value });
    else if (!failures.has(target.node)) failures.set(target.node, failureText(s.reason));
  });
  const unreachable = [...failures].map(([node, error]) => ({ node, error }));
  if (unreachable.length > 0) {
    ctx.notify(
      "warning",
      `no answer from ${unreachable.map((u) => `${u.node} (${u.error})`).join(", ")}; the other nodes are listed`,
    );
  }
  return { results, unreachable };
}

/** The cluster's nodes within the server's scope (or just `node` when given) as targets. */
export async function nodeTargets(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  node?: string,
): Promise<Target[]> {
  if (node) return [{ node, online: true, explicit: true }];
  const rows = await ctx.pve.call(CLUSTER_RESOURCES, { type: "node" }, { signal: ctx.signal });
  return rows
    .filter((r) => r.node && ctx.scope.allowsNode(r.node))
    .map((r) => ({ node: r.node ?? "", online: r.status === "online" }))
    .sort((a, b) => a.node.localeCompare(b.node));
}

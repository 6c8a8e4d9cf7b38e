// What serving MCP loads at start. The release build keeps each dynamic import in its own chunk
// (scripts/build.ts), so a start loads the static imports of main.ts and server/run.ts and
// nothing else until it is used. Every module here that could wait for its first use costs every
// start, and the start-up budget (default ≤ 1.1× a bare SDK server: `bun run bench startup`) is
// spent a fraction of a millisecond at a time.

import { expect, test } from "bun:test";
import { COMPILE_FLAGS } from "../../scripts/build.ts";

interface Meta {
  inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
  outputs: Record<
    string,
    {
      entryPoint?: string;
      inputs: Record<string, unknown>;
      imports: { path: string; kind: string }[];
    }
  >;
}

/** The modules a start loads, and the node: built-ins they import. */
async function startPath(): Promise<{ modules: Set<string>; builtins: Set<string> }> {
  const build = await Bun.build({
    entrypoints: ["src/main.ts"],
    target: "bun",
    format: "esm",
    splitting: true,
    metafile: true,
  });
  expect(build.success).toBe(true);
  const { inputs, outputs } = build.metafile as unknown as Meta;
  const chunkOf = (entry: string) =>
    Object.keys(outputs).find((k) => outputs[k]?.entryPoint === entry) as string;
  const chunks = new Set<string>();
  const visit = (chunk: string) => {
    if (chunks.has(chunk)) return;
    chunks.add(chunk);
    for (const i of outputs[chunk]?.imports ?? []) {
      if (i.kind === "import-statement" && outputs[i.path]) visit(i.path);
    }
  };
  visit(chunkOf("src/main.ts"));
  visit(chunkOf("src/server/run.ts"));
  const modules = new Set([...chunks].flatMap((c) => Object.keys(outputs[c]?.inputs ?? {})));
  const builtins = new Set(
    [...modules].flatMap((m) =>
      (inputs[m]?.imports ?? []).filter((i) => i.external).map((i) => i.path.replace(/^node:/, "")),
    ),
  );
  return { modules, builtins };
}

test("the release build splits at dynamic imports", () => {
  expect(COMPILE_FLAGS).toContain("--splitting");
});

test("serving MCP loads what initialize and tools/list need, and nothing that can wait", async () => {
  const { modules, builtins } = await startPath();
  // Sanity: the start path is what this test thinks it is.
  expect(modules).toContain("src/server/build.ts");
  expect(modules).toContain("src/tools/catalog.json");
  const waiting = [
    "src/tools/registry.ts", // the tool modules: the first tools/call
    "src/server/call.ts", // the call pipeline: the first tools/call
    "src/pve/guard/index.ts", // the scope guard: the first request to Proxmox
    "src/pve/index.ts", // the whole client API (tasks, endpoints, the guard)
    "src/server/task-memory.ts", // MCP tasks: the first task
    "src/server/audit.ts", // --audit-log, or the first tools/call
    "src/server/http.ts", // the HTTP transports
    "src/server/event-store.ts",
    "src/pve/connection-check.ts", // after the first exchange
    "src/pve/api-schema-source.ts", // the raw API's first call
    "src/server/resource-read.ts",
    "src/server/prompt-texts.ts",
    "src/ui/generated/cluster.html",
    "src/mock/index.ts",
  ];
  expect(waiting.filter((m) => modules.has(m))).toEqual([]);
  expect([...modules].filter((m) => m.startsWith("src/commands/"))).toEqual([]);
  // Each of these costs 2-5 ms to load in the compiled binary.
  const heavy = ["crypto", "http", "https", "tls", "net", "dns", "dns/promises"];
  expect(heavy.filter((b) => builtins.has(b))).toEqual([]);
});

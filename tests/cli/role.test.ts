// `proxmox-mcp role`: the pveum commands for a role with exactly the privileges the enabled tools
// need. The script is run by sh with a stand-in `pveum` that records its arguments; the recorded
// commands are then carried out in the simulated cluster, and the tools are called with the
// token they made: what the role allows works, and what it leaves out is refused by PVE's checks.

import { afterEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privilegesJson } from "../../scripts/privileges.ts";
import { enabledTools } from "../../src/commands/enabled-tools.ts";
import { PRIVILEGES, planRole } from "../../src/commands/privileges.ts";
import { loadSettings } from "../../src/config/index.ts";
import type { MockServer } from "../../src/mock/index.ts";
import { API_SCHEMA_FILE, schemaFile, testWithOfficialSchema } from "../support/api-schema.ts";
import { type Harness, startHarness } from "../support/harness.ts";

const main = join(import.meta.dir, "../../src/main.ts");
const SECRET = "0e1d2c3b-4a59-4867-8765-43210fedcba9";

function role(...args: string[]) {
  const run = spawnSync(process.execPath, [main, "role", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const privsOf = (script: string): string[] =>
  (/^PRIVS="([^"]*)"$/m.exec(script)?.[1] ?? "").split(",").filter(Boolean);

const toolsFor = (flags: Record<string, unknown>) =>
  enabledTools(loadSettings({ ...flags, demo: true }, {})).map((t) => t.name);

/** Runs the script with a `pveum` that only records its argument lists. */
function recordedCommands(script: string): string[][] {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-role-"));
  const log = join(dir, "calls");
  writeFileSync(
    join(dir, "pveum"),
    `#!/bin/sh\nprintf '%s\\0' "$@" >> "${log}"\nprintf '\\n\\0' >> "${log}"\n`,
  );
  chmodSync(join(dir, "pveum"), 0o755);
  writeFileSync(join(dir, "role.sh"), script);
  const run = spawnSync("sh", [join(dir, "role.sh")], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return readFileSync(log, "utf8")
    .split("\n\0")
    .filter(Boolean)
    .map((call) => call.split("\0").filter((a) => a !== ""));
}

/** What pveum would do with those commands, done to the simulated cluster's state. */
function applyTo(mock: MockServer, commands: string[][]): void {
  const option = (args: string[], name: string) => args[args.indexOf(name) + 1] ?? "";
  const s = mock.state;
  for (const args of commands) {
    const [what, verb, ...rest] = args;
    if (what === "role" && verb === "add") {
      s.dc.roles.set(rest[0] ?? "", option(rest, "--privs").split(","));
    } else if (what === "user" && verb === "add") {
      s.users.set(rest[0] ?? "", { userid: rest[0] ?? "", password: "", enable: true });
    } else if (what === "acl" && verb === "modify") {
      s.acl.push({
        path: rest[0] ?? "",
        ugid: option(rest, "--users"),
        roleid: option(rest, "--roles"),
        propagate: true,
      });
    } else if (what === "user" && verb === "token") {
      const [, userid = "", tokenid = ""] = rest;
      s.tokens.push({
        userid,
        tokenid,
        secret: SECRET,
        privsep: option(rest, "--privsep") !== "0",
      });
    } else throw new Error(`unexpected pveum ${args.join(" ")}`);
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A stopped VM of the simulated cluster. */
const stoppedVm = (t: Harness): number => {
  const vm = [...t.mock.state.guests.values()].find(
    (g) => g.type === "qemu" && g.status === "stopped",
  );
  if (!vm) throw new Error("the simulated cluster has no stopped VM");
  return vm.vmid;
};

/** A harness whose Proxmox client is the token the role script made. */
async function withRole(script: string): Promise<Harness> {
  h = await startHarness({
    pveOptions: { user: "mcp@pve", tokenName: "mcp", tokenValue: SECRET, password: undefined },
  });
  applyTo(h.mock, recordedCommands(script));
  return h;
}

describe("the role for the default toolsets", () => {
  const run = role();

  test("holds exactly the privileges the enabled tools need", () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(privsOf(run.stdout)).toEqual(planRole(toolsFor({})).privileges);
    expect(privsOf(run.stdout)).toContain("VM.PowerMgmt");
    expect(privsOf(run.stdout)).not.toContain("VM.Console"); // console is opt-in
  });

  test("says what a role cannot do and what could escalate", () => {
    expect(run.stdout).toContain("pveum user token add mcp@pve mcp --privsep 0");
    expect(run.stdout).toMatch(/update_acl needs Permissions.Modify/);
    expect(run.stdout).toMatch(/create_cluster, join_cluster: PVE lets only root@pam/);
    expect(run.stdout).toContain("--user 'mcp@pve!mcp=VALUE'");
  });

  test("lets its token start a guest and create a snapshot in the simulated cluster", async () => {
    const t = await withRole(run.stdout);
    const vmid = stoppedVm(t);
    await t.ok("start_vm", { vmid });
    expect(t.guest(vmid).status).toBe("running");
    await t.ok("snapshot_vm", { vmid, snapname: "before" });
    expect(t.guest(vmid).snapshots?.map((s) => s.name)).toContain("before");
    expect(await t.ok("list_vms")).toMatchObject({ total: expect.any(Number) });
  });
});

describe("the read-only role", () => {
  test("names the read tools PVE asks write privileges for, and how to leave them out", () => {
    const run = role("--read-only");
    expect(run.status).toBe(0);
    expect(privsOf(run.stdout)).toEqual(planRole(toolsFor({ "read-only": true })).privileges);
    expect(run.stdout).toMatch(/list_usb_devices only reads, but PVE asks Sys.Modify for it/);
    expect(run.stdout).toContain("--exclude-tools=list_usb_devices");
  });

  const strict = role(
    "--read-only",
    "--exclude-tools",
    "list_usb_devices,list_apt_updates,vm_exec_status",
  );

  test("without those tools, holds read privileges only", () => {
    expect(strict.status).toBe(0);
    const privs = privsOf(strict.stdout);
    expect(privs.length).toBeGreaterThan(3);
    for (const p of privs) expect(p).toMatch(/\.Audit$|^Sys\.Syslog$|^VM\.GuestAgent\.FileRead$/);
  });

  test("its token reads the whole cluster and is refused a start", async () => {
    const t = await withRole(strict.stdout);
    const vms = await t.ok<{ total: number }>("list_vms");
    expect(vms.total).toBe(
      [...t.mock.state.guests.values()].filter((g) => g.type === "qemu").length,
    );
    await t.ok("get_node_status", { node: "pve1" });
    await t.ok("get_vm_config", { vmid: 100 });
    const vmid = stoppedVm(t);
    expect(await t.fails("start_vm", { vmid })).toContain("VM.PowerMgmt");
    expect(t.guest(vmid).status).toBe("stopped");
  });
});

describe("the role for every toolset", () => {
  test("adds the console privileges", () => {
    const run = role("--toolsets", "all");
    expect(run.status).toBe(0);
    const privs = privsOf(run.stdout);
    expect(privs).toEqual(planRole(toolsFor({ toolsets: "all" })).privileges);
    expect(privs).toEqual(expect.arrayContaining(["VM.Console", "Sys.Console"]));
    expect(run.stdout).toMatch(/proxmox_api_get, proxmox_api reach whatever API path/);
  });
});

describe("choosing among alternatives", () => {
  const data = {
    tools: { a: ["x"], b: ["y"], c: ["z"] },
    requirements: {
      x: { endpoint: "X", basis: [], needs: [[{ path: "/", privs: ["Sys.Audit"] }]] },
      y: {
        endpoint: "Y",
        basis: [],
        needs: [
          [{ path: "/vms/{vmid}", privs: ["Permissions.Modify"] }],
          [{ path: "/vms/{vmid}", privs: ["VM.Allocate", "VM.Audit"] }],
        ],
      },
      z: {
        endpoint: "Z",
        basis: [],
        needs: [[{ path: "/", privs: ["Sys.Modify"] }], [{ path: "/", privs: ["Sys.Audit"] }]],
      },
    },
  };

  test("an alternative already covered costs nothing; Permissions.Modify comes last", () => {
    expect(planRole(["a", "c"], data).privileges).toEqual(["Sys.Audit"]);
    expect(planRole(["b"], data).privileges).toEqual(["VM.Allocate", "VM.Audit"]);
  });

  test("every tool of the registry has its requirements computed", () => {
    for (const t of toolsFor({ toolsets: "all" })) expect(PRIVILEGES.tools[t]).toBeDefined();
  });
});

test("a bad role name is a usage error", () => {
  const run = role("--name", "bad name");
  expect(run.status).toBe(2);
  expect(run.stderr).toContain("--name must be");
});

describe("the privilege table", () => {
  testWithOfficialSchema(
    "is what the official API schema states for each tool's endpoints",
    () => {
      const committed = readFileSync(
        join(import.meta.dir, "../../src/commands/tool-privileges.json"),
        "utf8",
      );
      expect(JSON.parse(privilegesJson(API_SCHEMA_FILE))).toEqual(JSON.parse(committed));
    },
    "the table is generated from the official schema's permissions",
  );

  test("a changed permission text in the schema is refused until it is read again", () => {
    // The schema in force, with the permission text of creating a replication job reworded.
    const text = readFileSync(schemaFile(), "utf8");
    const tree = JSON.parse(
      text.slice(text.indexOf("["), text.lastIndexOf("]") + 1),
    ) as SchemaNode[];
    const post = findSchemaNode(tree, "/cluster/replication")?.info?.POST;
    if (!post) throw new Error("the schema has no POST /cluster/replication");
    post.permissions = {
      ...post.permissions,
      description: "Requires the VM.Replicate and Sys.Modify permissions.",
    };
    const file = join(mkdtempSync(join(tmpdir(), "pmcp-schema-")), "apidata.js");
    writeFileSync(file, `const apiSchema = ${JSON.stringify(tree)};\n`);
    expect(() => privilegesJson(file)).toThrow(
      "POST /cluster/replication: the schema's permission text changed; read it again",
    );
  });
});

interface SchemaNode {
  path: string;
  info?: Record<string, { permissions?: Record<string, unknown> }>;
  children?: SchemaNode[];
}

function findSchemaNode(nodes: SchemaNode[], path: string): SchemaNode | undefined {
  for (const node of nodes) {
    const found = node.path === path ? node : findSchemaNode(node.children ?? [], path);
    if (found) return found;
  }
  return undefined;
}

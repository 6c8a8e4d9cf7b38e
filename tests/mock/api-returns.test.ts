// Every GET the mock implements is called on the demo cluster (path parameters filled with objects
// that exist there, required query parameters with valid values) and must answer 200 with data
// of the shape the official schema's `returns` documents (the shape where the checkout has that
// schema: the simulated cluster's own documents no `returns`).
import { beforeAll, describe, expect, test } from "bun:test";
import { describeRoutes, type MockServer } from "../../src/mock/index.ts";
import { schemaAvailable, uncheckedWithoutOfficialSchema } from "../support/api-schema.ts";
import { login, type Session, startTestMock } from "./helpers.ts";
import { schemaMethod, shapeProblems } from "./official-schema.ts";

/** Objects of the demo cluster to fill path parameters with, by path and then by name. */
function sampleFor(mock: MockServer, name: string, path: string): string {
  const byPath: [RegExp, string, string | (() => string)][] = [
    [/\/replication\/\{id\}/, "id", "100-0"],
    [/\/backup\/\{id\}/, "id", "backup-nightly"],
    [/\/metrics\/server\/\{id\}/, "id", "influx"],
    [/\/mapping\/pci\/\{id\}/, "id", "gpu"],
    [/\/mapping\/usb\/\{id\}/, "id", "token-key"],
    [/\/mapping\/dir\/\{id\}/, "id", "shared-data"],
    [/\/realm-sync\/\{id\}/, "id", "ldap-sync"],
    [/\/acme\/plugins\/\{id\}/, "id", "standalone"],
    [/\/acme\/account\/\{name\}/, "name", "default"],
    [/\/endpoints\/sendmail\/\{name\}/, "name", "mail-to-root"],
    [/\/endpoints\/gotify\/\{name\}/, "name", "gotify-ops"],
    [/\/endpoints\/smtp\/\{name\}/, "name", "smtp-ops"],
    [/\/endpoints\/webhook\/\{name\}/, "name", "webhook-chat"],
    [/\/matchers\/\{name\}/, "name", "default-matcher"],
    [/\/(qemu|lxc)\/\{vmid\}\/firewall\/aliases\/\{name\}/, "name", "backend"],
    [/\/(qemu|lxc)\/\{vmid\}\/firewall\/ipset\/\{name\}/, "name", "trusted"],
    [/\/(qemu|lxc)\/\{vmid\}\/firewall\/ipset\/\{name\}\/\{cidr\}/, "cidr", "10.0.2.10"],
    [/\/firewall\/aliases\/\{name\}/, "name", "office"],
    [/\/firewall\/ipset\/\{name\}/, "name", "admins"],
    [/\/firewall\/ipset\/\{name\}\/\{cidr\}/, "cidr", "10.0.0.0/24"],
    [/\/firewall\/groups\/\{group\}/, "group", "webserver"],
    [/\/ha\/groups\/\{group\}/, "group", "prefer-pve1"],
    [/\/disks\/zfs\/\{name\}/, "name", "tank"],
    [/\/file-restore\//, "storage", "pbs1"],
    [/\/tfa\/\{userid\}\/\{id\}/, "id", "totp-1"],
    [/\/tfa\/\{userid\}/, "userid", "auditor@pve"],
  ];
  for (const [re, param, value] of byPath) {
    if (param === name && re.test(path)) return typeof value === "string" ? value : value();
  }
  const guest = path.includes("/lxc/") ? "200" : "100";
  const firstTask = () => mock.state.tasks.find((t) => t.node === "pve1")?.upid ?? "";
  const byName: Record<string, string | (() => string)> = {
    node: "pve1",
    vmid: guest,
    storage: "local",
    snapname: "walk",
    upid: firstTask,
    userid: "root@pam",
    tokenid: "mcp",
    roleid: "PVEAuditor",
    groupid: "admins",
    poolid: "prod",
    realm: "pam",
    sid: "vm:103",
    rule: () => [...mock.state.dc.ha.rules.keys()][0] ?? "",
    iface: "vmbr0",
    service: "pveproxy",
    pos: "0",
    volume: "local:iso/debian-13.1.0-amd64-netinst.iso",
    "pci-id-or-mapping": "0000:01:00.0",
    vnet: "vnet1",
    zone: "zone1",
    subnet: "zone1-10.10.10.0-24",
    controller: "evpn1",
    ipam: "pve",
    dns: "powerdns",
  };
  const value = byName[name];
  if (value === undefined) throw new Error(`no sample for {${name}} in ${path}`);
  return typeof value === "string" ? value : value();
}

/** Required query parameters: a listed value, or a sample that fits the endpoint. */
function queryFor(route: ReturnType<typeof describeRoutes>[number]): Record<string, string> {
  const samples: Record<string, string> = {
    ds: "cpu",
    timeframe: "hour",
    type: "user",
    feature: "snapshot",
    schedule: "daily",
    volume: "backups:backup/vzdump-qemu-100-2026_11_20-01_00_03.vma.zst",
    name: "pve-manager",
    disk: "/dev/sda",
    server: "nas.demo.lan",
    username: "backup@pbs",
    password: "secret",
    portal: "10.0.0.50",
    vg: "pve",
    url: "https://download.example.com/debian.iso",
    command: "",
    filepath: "/",
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(route.parameters)) {
    if (spec.optional || route.path.includes(`{${name}}`)) continue;
    if (name === "pid" || name === "file") continue; // from the walk's own exec and files
    out[name] = spec.enum?.[0] ?? samples[name] ?? "";
    if (out[name] === "") throw new Error(`no sample for ${name} of ${route.path}`);
  }
  return out;
}

/** Endpoints that are no plain JSON read (consoles open a WebSocket). */
const NOT_PLAIN = [/\/vncwebsocket$/];

/** Where PVE answers otherwise than its schema says, and the mock answers as PVE does. */
const WIRE: Record<string, string[]> = {
  // "101" as a string (REALITIES §7).
  "/cluster/nextid": ["data"],
  // Config values as the config parser typed them: numbers for integer options.
  "/nodes/{node}/qemu/{vmid}/pending": ["data[].value", "data[].pending"],
  "/nodes/{node}/lxc/{vmid}/pending": ["data[].value", "data[].pending"],
  // Property strings of jobs.cfg are parsed, their values left as the strings they were.
  "/cluster/backup": ["data[].prune-backups.*", "data[].performance.*", "data[].fleecing.*"],
  "/cluster/backup/{id}": ["data.prune-backups.*", "data.performance.*", "data.fleecing.*"],
  // `error` is declared without a type and only set when a check-node finds one.
  "/cluster/mapping/usb": ["data[].error"],
  // Values read from corosync.conf stay strings.
  "/cluster/config/join": ["data.nodelist[].nodeid", "data.nodelist[].quorum_votes"],
};

/** PVE 9's answer to these is an error about the cluster's state, not data. */
const EXPECTED_ERRORS: Record<string, [number, string]> = {
  "/cluster/ha/groups": [500, "cannot index groups: ha groups have been migrated to rules"],
  "/cluster/ha/groups/{group}": [500, "cannot read group: ha groups have been migrated to rules"],
};

describe("every implemented GET answers data of its documented shape", () => {
  let mock: MockServer;
  let s: Session;
  /** Query parameters that only make sense with the walk's own objects. */
  const extra: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    mock = await startTestMock();
    s = await login(mock);
    // A snapshot to read, on a VM and a container.
    for (const id of [100, 200]) {
      const g = mock.state.guests.get(id);
      g?.snapshots.push({ name: "walk", description: "", snaptime: 1, config: { ...g.config } });
    }
    const exec = await s.call("POST", "/nodes/pve1/qemu/100/agent/exec", { command: "uptime" });
    const agent = "/nodes/{node}/qemu/{vmid}/agent";
    extra[`${agent}/exec-status`] = { pid: String(exec.json.data.pid) };
    extra[`${agent}/file-read`] = { file: "/etc/hostname" };
    extra["/nodes/{node}/storage/{storage}/prunebackups"] = { "prune-backups": "keep-last=1" };
    // Firewall rules on a node and a container, to read one back.
    for (const path of ["/nodes/pve1/firewall/rules", "/nodes/pve1/lxc/200/firewall/rules"]) {
      const rule = await s.call("POST", path, { type: "in", action: "ACCEPT", macro: "SSH" });
      expect(rule.status).toBe(200);
    }
    // A Proxmox Backup Server storage with one backup, to browse.
    const pbs = await s.call("POST", "/storage", {
      storage: "pbs1",
      type: "pbs",
      server: "10.0.0.60",
      datastore: "store1",
      username: "backup@pbs",
      password: "secret",
      fingerprint: Array.from({ length: 32 }, () => "AB").join(":"),
    });
    expect(pbs.status).toBe(200);
    mock.state.volumes.push({
      storage: "pbs1",
      volid: "pbs1:backup/vm/100/2026-11-20T01:00:03Z",
      content: "backup",
      format: "pbs-vm",
      size: 2 ** 31,
      vmid: 100,
      ctime: 1795000803,
    });
    extra["/nodes/{node}/storage/{storage}/file-restore/list"] = {
      volume: "pbs1:backup/vm/100/2026-11-20T01:00:03Z",
    };
    // A replication job to read back (the demo's disks are not on ZFS, so PVE would refuse one).
    mock.state.dc.replication.set("100-0", {
      id: "100-0",
      guest: 100,
      target: "pve2",
      source: "pve1",
      schedule: "*/15",
    });
  });

  const routes = describeRoutes().filter(
    (r) => r.method === "GET" && !NOT_PLAIN.some((re) => re.test(r.path)),
  );
  for (const route of routes) {
    test(`GET ${route.path}`, async () => {
      const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
        encodeURIComponent(sampleFor(mock, name, route.path)),
      );
      const res = await s.call("GET", path, { ...queryFor(route), ...extra[route.path] });
      const expected = EXPECTED_ERRORS[route.path];
      if (expected) {
        expect([res.status, res.reason]).toEqual(expected);
        return;
      }
      expect([res.status, res.reason]).toEqual([200, "OK"]);
      expect(res.json).toHaveProperty("data");
      if (schemaAvailable()) {
        const official = schemaMethod("GET", route.path);
        expect(shapeProblems(official?.returns, res.json.data, WIRE[route.path])).toEqual([]);
      }
    });
  }
  uncheckedWithoutOfficialSchema(
    "each answer's data has the shape of the official schema's `returns`",
    "the simulated cluster's own schema documents no `returns`",
  );
});

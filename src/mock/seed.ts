// The demo cluster "demo": 3 nodes, 6 VMs, 3 containers, storages with ISOs/templates/backups.
import { emptyDatacenter } from "./datacenter.ts";
import { seedObjects } from "./datacenter-objects-seed.ts";
import { seedDatacenter } from "./datacenter-seed.ts";
import type {
  ClusterState,
  ConfigValue,
  GuestType,
  MockGuest,
  MockNode,
  MockStorage,
  MockTask,
  MockVolume,
} from "./state.ts";
import { encodeUpid } from "./upid.ts";

/** mulberry32: a small seeded PRNG, so every start gives the same cluster. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GiB = 2 ** 30;
const MiB = 2 ** 20;
export const ROOT_PASSWORD = "demo-password";
export const AUDITOR_PASSWORD = "auditor-password";
export const TOKEN_SECRET = "5f0e8a3c-4b6d-4e2a-9c1f-7d3b2a1e0c9d";
export const LOCAL_NODE = "pve1";
/** root's password inside the guests, behind their console login prompts. */
export const GUEST_ROOT_PASSWORD = "guest-password";

export interface SeedOptions {
  nodes?: number;
  guests?: number;
  /** Unix seconds "now" of the seed; defaults to the real clock. */
  now?: number;
}

export function seedCluster(opts: SeedOptions = {}): ClusterState {
  const rnd = prng(0x9e3779b9);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join("");
  const mac = (): string => `BC:24:11:${[0, 0, 0].map(() => hex(2).toUpperCase()).join(":")}`;
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const state: ClusterState = {
    clusterName: "demo",
    version: { version: "9.1.3", release: "9.1", repoid: "bf9f2a8bd3d4aa42" },
    nodes: new Map(),
    guests: new Map(),
    storages: new Map(),
    volumes: [],
    pools: new Map([
      ["prod", { poolid: "prod", comment: "Production services" }],
      ["lab", { poolid: "lab", comment: "Experiments" }],
    ]),
    tasks: [],
    users: new Map([
      ["root@pam", { userid: "root@pam", password: ROOT_PASSWORD, enable: true }],
      ["auditor@pve", { userid: "auditor@pve", password: AUDITOR_PASSWORD, enable: true }],
    ]),
    tokens: [{ userid: "root@pam", tokenid: "mcp", secret: TOKEN_SECRET, privsep: false }],
    acl: [{ path: "/", ugid: "auditor@pve", roleid: "PVEAuditor", propagate: true }],
    dc: emptyDatacenter(),
  };

  const nodeCount = Math.max(1, opts.nodes ?? 3);
  const cpuModels = ["AMD EPYC 7313P 16-Core Processor", "Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz"];
  for (let i = 1; i <= nodeCount; i++) {
    const big = i !== 3;
    const node: MockNode = {
      name: `pve${i}`,
      nodeid: i,
      ip: `10.0.0.${10 + i}`,
      maxcpu: 16,
      cpu: Math.round((0.02 + rnd() * 0.2) * 1e4) / 1e4,
      maxmem: (big ? 128 : 64) * GiB - 2 * GiB + 143 * MiB,
      mem: Math.round((big ? 128 : 64) * GiB * (0.3 + rnd() * 0.3)),
      maxdisk: 100861726720,
      disk: Math.round(100861726720 * (0.08 + rnd() * 0.1)),
      bootTime: now - 86400 * (20 + i * 7) - Math.floor(rnd() * 86400),
      cpuModel: cpuModels[big ? 0 : 1] as string,
      sockets: 1,
      kversion: "Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z) x86_64",
      sslFingerprint: Array.from({ length: 32 }, () => hex(2).toUpperCase()).join(":"),
      loadavg: [(rnd() * 2).toFixed(2), (rnd() * 2).toFixed(2), (rnd() * 2).toFixed(2)],
    };
    state.nodes.set(node.name, node);
  }

  const storages: MockStorage[] = [
    {
      storage: "local",
      type: "dir",
      content: ["backup", "iso", "vztmpl"],
      shared: false,
      path: "/var/lib/vz",
      total: 100861726720,
      baseUsed: 9 * GiB,
      enabled: true,
    },
    {
      storage: "local-lvm",
      type: "lvmthin",
      content: ["images", "rootdir"],
      shared: false,
      total: 852878163968,
      baseUsed: 0,
      enabled: true,
    },
    {
      storage: "backups",
      type: "nfs",
      content: ["backup"],
      shared: true,
      path: "/mnt/pve/backups",
      total: 4 * 2 ** 40,
      baseUsed: 1200 * GiB,
      enabled: true,
    },
  ];
  for (const s of storages) state.storages.set(s.storage, s);

  const addGuest = (
    vmid: number,
    type: GuestType,
    node: string,
    running: boolean,
    config: Record<string, ConfigValue>,
    extra: Partial<MockGuest> = {},
  ): MockGuest => {
    if (type === "qemu") {
      config.smbios1 ??= `uuid=${uuid()}`;
      config.vmgenid ??= uuid();
      config.meta ??= `creation-qemu=10.1.2,ctime=${now - 86400 * (100 + (vmid % 50))}`;
    }
    const maxmemMiB = Number(/(\d+)/.exec(String(config.memory))?.[1] ?? 512);
    const guest: MockGuest = {
      vmid,
      type,
      node,
      status: running ? "running" : "stopped",
      ...(type === "qemu" ? { qmpstatus: running ? "running" : "stopped" } : {}),
      config,
      snapshots: [],
      stats: {
        cpu: running ? Math.round(rnd() * 0.25 * 1e4) / 1e4 : 0,
        mem: running ? Math.round(maxmemMiB * MiB * (0.25 + rnd() * 0.5)) : 0,
        disk: 0,
        netin: running ? Math.floor(rnd() * 5e10) : 0,
        netout: running ? Math.floor(rnd() * 2e10) : 0,
        diskread: running ? Math.floor(rnd() * 8e10) : 0,
        diskwrite: running ? Math.floor(rnd() * 4e10) : 0,
      },
      ...(running
        ? { startedAt: (now - 3600 * (30 + Math.floor(rnd() * 400))) * 1000, pid: 1000 + vmid * 13 }
        : {}),
      ...extra,
    };
    if (type === "lxc" && running) guest.stats.disk = Math.floor(rnd() * 3 * GiB);
    state.guests.set(vmid, guest);
    // Every disk in the config is a volume on its storage.
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== "string") continue;
      if (!/^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$|^rootfs$/.test(key)) continue;
      const m = /^([a-z][a-z0-9\-_.]*):((?:vm|base)-\d+-(?:disk-\d+|cloudinit))(?:,|$)/.exec(value);
      if (!m) continue;
      const size = /size=(\d+)([KMG])/.exec(value);
      const bytes = size ? Number(size[1]) * { K: 1024, M: MiB, G: GiB }[size[2] as "K"] : 4 * MiB;
      state.volumes.push({
        storage: m[1] as string,
        node,
        volid: `${m[1]}:${m[2]}`,
        content: type === "lxc" ? "rootdir" : "images",
        format: "raw",
        size: bytes,
        vmid,
      });
    }
    return guest;
  };

  const net = (model = "virtio") => `${model}=${mac()},bridge=vmbr0,firewall=1`;
  const qemuBase = (vmid: number, diskGiB: number): Record<string, ConfigValue> => ({
    cpu: "x86-64-v2-AES",
    ostype: "l26",
    scsihw: "virtio-scsi-single",
    boot: "order=scsi0;ide2;net0",
    ide2: "none,media=cdrom",
    scsi0: `local-lvm:vm-${vmid}-disk-0,iothread=1,size=${diskGiB}G`,
    net0: net(),
    numa: 0,
    sockets: 1,
  });
  const lxcBase = (vmid: number, diskGiB: number, ostype: string): Record<string, ConfigValue> => ({
    arch: "amd64",
    ostype,
    rootfs: `local-lvm:vm-${vmid}-disk-0,size=${diskGiB}G`,
    net0: `name=eth0,bridge=vmbr0,firewall=1,hwaddr=${mac()},ip=dhcp,type=veth`,
    unprivileged: 1,
    features: "nesting=1",
    swap: 512,
  });

  const n = (i: number): string => `pve${((i - 1) % nodeCount) + 1}`;
  addGuest(
    100,
    "qemu",
    n(1),
    true,
    {
      ...qemuBase(100, 32),
      name: "web-01",
      memory: "4096",
      cores: 2,
      agent: "1",
      serial0: "socket",
      onboot: 1,
      tags: "prod;web",
      description: "Public web front end",
    },
    { pool: "prod" },
  );
  addGuest(
    101,
    "qemu",
    n(1),
    true,
    {
      ...qemuBase(101, 32),
      name: "db-01",
      memory: "16384",
      cores: 4,
      agent: "1",
      onboot: 1,
      protection: 1,
      tags: "db;prod",
      scsi1: "local-lvm:vm-101-disk-1,iothread=1,size=200G",
    },
    { pool: "prod" },
  );
  addGuest(
    102,
    "qemu",
    n(2),
    false,
    {
      ...qemuBase(102, 100),
      name: "win-build",
      memory: "8192",
      cores: 4,
      ostype: "win11",
      bios: "ovmf",
      machine: "pc-q35-10.1",
      cpu: "host",
      efidisk0: "local-lvm:vm-102-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M",
      tpmstate0: "local-lvm:vm-102-disk-2,size=4M,version=v2.0",
      net0: net("e1000"),
    },
    { pool: "lab" },
  );
  addGuest(
    103,
    "qemu",
    n(2),
    true,
    { ...qemuBase(103, 16), memory: "2048", cores: 2 },
    {
      hastate: "started",
    },
  );
  addGuest(104, "qemu", n(3), false, {
    ...qemuBase(104, 8),
    name: "debian-template",
    memory: "2048",
    cores: 2,
    template: 1,
    agent: "1",
    scsi0: "local-lvm:base-104-disk-0,iothread=1,size=8G",
    ide2: "local-lvm:vm-104-cloudinit,media=cdrom",
    ciuser: "debian",
    ipconfig0: "ip=dhcp",
  });
  addGuest(
    105,
    "qemu",
    n(3),
    true,
    {
      ...qemuBase(105, 40),
      name: "ci-runner",
      memory: "6144",
      cores: 4,
      tags: "lab",
    },
    { qmpstatus: "paused", pool: "lab" },
  );
  addGuest(200, "lxc", n(1), true, {
    ...lxcBase(200, 8, "debian"),
    hostname: "dns-01",
    memory: 512,
    cores: 1,
    onboot: 1,
    tags: "infra",
  });
  addGuest(201, "lxc", n(2), false, {
    ...lxcBase(201, 8, "alpine"),
    hostname: "proxy-01",
    memory: 1024,
    cores: 2,
  });
  addGuest(202, "lxc", n(3), true, {
    ...lxcBase(202, 32, "ubuntu"),
    hostname: "monitoring",
    memory: 4096,
    cores: 2,
  });
  const extraGuests = Math.max(0, (opts.guests ?? 9) - 9);
  for (let i = 0; i < extraGuests; i++) {
    const vmid = 1000 + i;
    const node = n(i + 1);
    const running = rnd() < 0.7;
    if (i % 3 === 2) {
      addGuest(vmid, "lxc", node, running, {
        ...lxcBase(vmid, 8, "debian"),
        hostname: `ct-${vmid}`,
        memory: 1024,
        cores: 1,
      });
    } else {
      addGuest(vmid, "qemu", node, running, {
        ...qemuBase(vmid, 32),
        name: `vm-${vmid}`,
        memory: "2048",
        cores: 2,
      });
    }
  }

  const file = (
    storage: string,
    node: string | undefined,
    path: string,
    size: number,
    ctime: number,
    more: Partial<MockVolume> = {},
  ): void => {
    const content = path.startsWith("iso/")
      ? "iso"
      : path.startsWith("vztmpl/")
        ? "vztmpl"
        : "backup";
    const name = path.slice(path.indexOf("/") + 1);
    const format =
      content === "iso"
        ? "iso"
        : content === "vztmpl"
          ? ({ zst: "tzst", xz: "txz", gz: "tgz" }[name.split(".").pop() ?? ""] ?? "raw")
          : (/\.(vma|tar)\.(zst|gz|lzo)$/.exec(name)?.slice(1).join(".") ?? "vma.zst");
    state.volumes.push({
      storage,
      node,
      volid: `${storage}:${path}`,
      content,
      format,
      size,
      ctime,
      ...more,
    });
  };
  for (const node of state.nodes.keys()) {
    file("local", node, "iso/debian-13.1.0-amd64-netinst.iso", 790626304, now - 86400 * 40);
    file("local", node, "iso/ubuntu-24.04.3-live-server-amd64.iso", 3213064192, now - 86400 * 60);
    file(
      "local",
      node,
      "vztmpl/debian-13-standard_13.1-2_amd64.tar.zst",
      129871234,
      now - 86400 * 30,
    );
    file(
      "local",
      node,
      "vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
      141180123,
      now - 86400 * 90,
    );
    file(
      "local",
      node,
      "vztmpl/alpine-3.22-default_20250617_amd64.tar.xz",
      3217408,
      now - 86400 * 50,
    );
  }
  const backupTime = (name: string): number => {
    const m = /(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})/.exec(name);
    if (!m) return now;
    const [y, mo, d, h, mi, sec] = m.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Date.UTC(y, mo - 1, d, h, mi, sec) / 1000;
  };
  const backups: [string, number, string, boolean?][] = [
    ["vzdump-qemu-100-2026_11_20-01_00_03.vma.zst", 2415919104, "web-01"],
    ["vzdump-qemu-100-2026_11_21-01_00_02.vma.zst", 2432696320, "web-01"],
    ["vzdump-qemu-101-2026_11_21-01_03_41.vma.zst", 9663676416, "db-01", true],
    ["vzdump-lxc-200-2026_11_20-01_02_11.tar.zst", 412090368, "dns-01"],
    ["vzdump-lxc-202-2026_11_21-01_09_52.tar.zst", 1932735283, "monitoring"],
  ];
  for (const [name, size, notes, prot] of backups) {
    const vmid = Number(/-(\d+)-/.exec(name)?.[1]);
    file("backups", undefined, `backup/${name}`, size, backupTime(name), {
      vmid,
      notes,
      ...(prot ? { protected: true } : {}),
    });
  }
  file(
    "local",
    n(1),
    "backup/vzdump-qemu-100-2026_11_19-22_14_51.vma.zst",
    2399141888,
    backupTime("2026_11_19-22_14_51"),
    { vmid: 100, notes: "web-01 before upgrade" },
  );

  seedDatacenter(state, now);
  seedObjects(state, now);
  seedHistory(state, now);
  return state;
}

/** A few finished tasks per node, so task lists are not empty on a fresh start. */
function seedHistory(state: ClusterState, now: number): void {
  let pid = 0x1a2b0;
  const past = (
    node: string,
    type: string,
    id: string,
    ago: number,
    secs: number,
    lines: string[],
    exit = "OK",
  ) => {
    const n = state.nodes.get(node);
    if (!n) return;
    pid += 0x3f1;
    const starttime = now - ago;
    const task: MockTask = {
      upid: "",
      node,
      pid,
      pstart: (starttime - n.bootTime) * 100,
      starttime,
      type,
      id,
      user: "root@pam",
      status: "stopped",
      exitstatus: exit,
      endtime: starttime + secs,
      startedMs: starttime * 1000,
      durationMs: secs * 1000,
      lines: lines.map((text) => ({ at: 0, text })),
      finalLines: [exit === "OK" ? "TASK OK" : `TASK ERROR: ${exit}`],
    };
    task.upid = encodeUpid(task);
    state.tasks.push(task);
  };
  past("pve1", "vzdump", "", 86400 * 2, 612, [
    "INFO: starting new backup job: vzdump --all 1 --mode snapshot --storage backups --compress zstd",
    "INFO: Backup job finished successfully",
  ]);
  past("pve2", "qmstart", "103", 86400 + 3600, 2, []);
  past("pve3", "qmstart", "105", 86400, 3, []);
  past("pve1", "qmshutdown", "100", 7200, 14, []);
  past("pve1", "qmstart", "100", 7180, 2, []);
  past(
    "pve2",
    "qmstart",
    "102",
    5400,
    1,
    [
      "kvm: -drive file=/dev/pve/vm-102-disk-0,if=none,id=drive-scsi0: Could not open '/dev/pve/vm-102-disk-0': No such file or directory",
    ],
    "start failed: QEMU exited with code 1",
  );
  past("pve3", "vzstart", "202", 3600, 2, []);
  state.tasks.sort((a, b) => a.starttime - b.starttime);
}

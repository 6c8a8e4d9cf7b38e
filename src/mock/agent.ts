// What the QEMU guest agent sees inside a simulated VM: a few files, a tiny command runner for
// guest-exec, OS info and network interfaces. Created on first use from the VM's config.
import { fail } from "./errors.ts";
import { parsePropertyString } from "./format.ts";
import { type GuestOs, type GuestProcess, guestName, type MockGuest } from "./state.ts";

const LINUX_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 13 (trixie)"
NAME="Debian GNU/Linux"
VERSION_ID="13"
VERSION="13 (trixie)"
VERSION_CODENAME=trixie
ID=debian
HOME_URL="https://www.debian.org/"
`;
const KERNEL = "6.12.48+deb13-amd64";

export const isWindows = (g: MockGuest): boolean => /^w/.test(String(g.config.ostype ?? ""));

export function guestOs(g: MockGuest): GuestOs {
  if (!g.guestOs) {
    const name = guestName(g);
    const files = new Map<string, Buffer>(
      isWindows(g)
        ? [["C:\\Windows\\System32\\drivers\\etc\\hosts", Buffer.from("127.0.0.1 localhost\r\n")]]
        : [
            ["/etc/os-release", Buffer.from(LINUX_OS_RELEASE)],
            ["/etc/hostname", Buffer.from(`${name}\n`)],
            ["/etc/hosts", Buffer.from(`127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n`)],
          ],
    );
    g.guestOs = {
      agentRunning: true,
      files,
      processes: new Map(),
      nextPid: 1000 + (g.vmid % 97) * 10,
    };
  }
  return g.guestOs;
}

/** The gates of PVE's agent calls, in order, with its exact messages. */
export function checkAgent(g: MockGuest): GuestOs {
  if (g.config.agent === undefined) throw fail("No QEMU guest agent configured");
  if (g.status !== "running") throw fail(`VM ${g.vmid} is not running`);
  const agent = parsePropertyString(String(g.config.agent));
  const enabled = (agent.pairs.get("enabled") ?? agent.head) === "1";
  const os = guestOs(g);
  if (!enabled || !os.agentRunning || g.qmpstatus === "paused") {
    throw fail("QEMU guest agent is not running");
  }
  return os;
}

const agentError = (text: string) => fail(`Agent error: ${text}`);

export function osInfo(g: MockGuest): Record<string, string> {
  return isWindows(g)
    ? {
        id: "mswindows",
        name: "Microsoft Windows",
        "pretty-name": "Windows 11 Pro",
        "kernel-release": "26100",
        "kernel-version": "10.0",
        machine: "x86_64",
        version: "Microsoft Windows 11",
        "version-id": "11",
        variant: "client",
        "variant-id": "client",
      }
    : {
        id: "debian",
        name: "Debian GNU/Linux",
        "pretty-name": "Debian GNU/Linux 13 (trixie)",
        "kernel-release": KERNEL,
        "kernel-version": "#1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20)",
        machine: "x86_64",
        version: "13 (trixie)",
        "version-id": "13",
      };
}

/** The guest's addresses: 10.0.<node>.<n> on its first NIC, link-local IPv6 on each. */
export function guestAddress(g: MockGuest, nic: number): string {
  const nodeIdx = Number(/(\d+)$/.exec(g.node)?.[1] ?? 1);
  return `10.${nic}.${nodeIdx}.${20 + (g.vmid % 200)}`;
}

function macOf(value: string, type: MockGuest["type"]): string {
  const { pairs, head } = parsePropertyString(value);
  const mac = type === "lxc" ? pairs.get("hwaddr") : (head?.split("=")[1] ?? pairs.get("macaddr"));
  return (mac ?? "bc:24:11:00:00:00").toLowerCase();
}

function linkLocal(mac: string): string {
  const b = mac.split(":").map((x) => Number.parseInt(x, 16));
  const h = (i: number) => (b[i] ?? 0).toString(16).padStart(2, "0");
  return `fe80::${((((b[0] ?? 0) ^ 2) << 8) | (b[1] ?? 0)).toString(16)}:${h(2)}ff:fe${h(3)}:${h(4)}${h(5)}`.replace(
    /:0+([0-9a-f])/g,
    ":$1",
  );
}

export interface Nic {
  name: string;
  mac: string;
  ipv4?: string;
  ipv6: string;
}

/** The guest's NICs as its OS names them (ens18… for VMs, eth0… for containers). */
export function guestNics(g: MockGuest): Nic[] {
  return Object.keys(g.config)
    .filter((k) => /^net\d+$/.test(k))
    .sort()
    .map((key, i) => {
      const n = Number(key.slice(3));
      const value = String(g.config[key]);
      const mac = macOf(value, g.type);
      const ipConf = parsePropertyString(value).pairs.get("ip");
      const ipv4 =
        g.type === "lxc" && ipConf && ipConf !== "dhcp" && ipConf !== "manual"
          ? ipConf.split("/")[0]
          : ipConf === "manual"
            ? undefined
            : guestAddress(g, i);
      return {
        name:
          g.type === "lxc"
            ? (parsePropertyString(value).pairs.get("name") ?? `eth${n}`)
            : `ens${18 + n}`,
        mac,
        ipv4,
        ipv6: linkLocal(mac),
      };
    });
}

export function networkInterfaces(g: MockGuest): Record<string, unknown>[] {
  const stats = (i: number) => ({
    "rx-bytes": 81234567 * (i + 1),
    "rx-dropped": 0,
    "rx-errs": 0,
    "rx-packets": 91234 * (i + 1),
    "tx-bytes": 12345678 * (i + 1),
    "tx-dropped": 0,
    "tx-errs": 0,
    "tx-packets": 45678 * (i + 1),
  });
  return [
    {
      name: "lo",
      "hardware-address": "00:00:00:00:00:00",
      "ip-addresses": [
        { "ip-address": "127.0.0.1", "ip-address-type": "ipv4", prefix: 8 },
        { "ip-address": "::1", "ip-address-type": "ipv6", prefix: 128 },
      ],
      statistics: stats(0),
    },
    ...guestNics(g).map((nic, i) => ({
      name: nic.name,
      "hardware-address": nic.mac,
      "ip-addresses": [
        ...(nic.ipv4 ? [{ "ip-address": nic.ipv4, "ip-address-type": "ipv4", prefix: 24 }] : []),
        { "ip-address": nic.ipv6, "ip-address-type": "ipv6", prefix: 64 },
      ],
      statistics: stats(i + 1),
    })),
  ];
}

// --- guest-exec ---------------------------------------------------------------------------

interface Result {
  out: string;
  err: string;
  code: number;
  ms?: number;
}

/** Splits a shell line into words (single and double quotes; no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3] ?? ""));
  }
  return out;
}

function runOne(g: MockGuest, argv: string[], input: string): Result | undefined {
  const [prog = "", ...args] = argv;
  const os = guestOs(g);
  const base = prog.split("/").pop() ?? prog;
  switch (base) {
    case "echo":
      return { out: `${args.join(" ")}\n`, err: "", code: 0 };
    case "true":
      return { out: "", err: "", code: 0 };
    case "false":
      return { out: "", err: "", code: 1 };
    case "hostname":
      return { out: `${guestName(g)}\n`, err: "", code: 0 };
    case "whoami":
      return { out: "root\n", err: "", code: 0 };
    case "id":
      return { out: "uid=0(root) gid=0(root) groups=0(root)\n", err: "", code: 0 };
    case "uname":
      return {
        out: `${args.includes("-a") ? `Linux ${guestName(g)} ${KERNEL} #1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20) x86_64 GNU/Linux` : args.includes("-r") ? KERNEL : "Linux"}\n`,
        err: "",
        code: 0,
      };
    case "uptime":
      return {
        out: " 10:14:02 up 12 days,  3:41,  0 users,  load average: 0.08, 0.03, 0.01\n",
        err: "",
        code: 0,
      };
    case "sleep":
      return { out: "", err: "", code: 0, ms: Math.min(Number(args[0] ?? 0) * 1000, 600_000) };
    case "cat": {
      if (args.length === 0) return { out: input, err: "", code: 0 };
      let out = "";
      let err = "";
      for (const f of args) {
        const data = os.files.get(f);
        if (data) out += data.toString("utf8");
        else err += `cat: ${f}: No such file or directory\n`;
      }
      return { out, err, code: err ? 1 : 0 };
    }
    case "ls": {
      const dir = (args.find((a) => !a.startsWith("-")) ?? "/").replace(/\/?$/, "/");
      const names = [...os.files.keys()]
        .filter((p) => p.startsWith(dir))
        .map((p) => p.slice(dir.length).split("/")[0])
        .filter((n, i, all) => n && all.indexOf(n) === i)
        .sort();
      return names.length
        ? { out: `${names.join("\n")}\n`, err: "", code: 0 }
        : { out: "", err: `ls: cannot access '${dir}': No such file or directory\n`, code: 2 };
    }
    case "sh":
    case "bash": {
      const i = args.indexOf("-c");
      if (i < 0 || args[i + 1] === undefined) return { out: "", err: "", code: 0 };
      return runScript(g, args[i + 1] as string, input);
    }
    default:
      return undefined;
  }
}

/** `sh -c`: commands joined by `;` or `&&` (no pipes or expansion). */
function runScript(g: MockGuest, script: string, input: string): Result {
  const total: Result = { out: "", err: "", code: 0, ms: 0 };
  const parts = script.split(/(;|&&)/);
  let lastOp = ";";
  for (const part of parts) {
    if (part === ";" || part === "&&") {
      lastOp = part;
      continue;
    }
    if (lastOp === "&&" && total.code !== 0) continue;
    const argv = words(part);
    if (argv.length === 0) continue;
    const r = runOne(g, argv, input);
    if (!r) {
      total.err += `sh: 1: ${argv[0]}: not found\n`;
      total.code = 127;
      continue;
    }
    total.out += r.out;
    total.err += r.err;
    total.code = r.code;
    total.ms = (total.ms ?? 0) + (r.ms ?? 0);
  }
  return total;
}

/** guest-exec: starts the process and returns its pid; unknown programs fail at once. */
export function startProcess(g: MockGuest, argv: string[], input: string): number {
  const os = guestOs(g);
  const r = runOne(g, argv, input);
  if (!r) {
    throw agentError(
      `Guest agent command failed, error was 'Failed to execute child process "${argv[0]}" (No such file or directory)'`,
    );
  }
  const pid = os.nextPid++;
  const proc: GuestProcess = {
    endsAt: Date.now() + 30 + (r.ms ?? 0),
    exitcode: r.code,
    out: r.out,
    err: r.err,
  };
  os.processes.set(pid, proc);
  return pid;
}

/** guest-exec-status, as PVE returns it: 0/1 booleans, out-data/err-data already decoded. */
export function processStatus(g: MockGuest, pid: number): Record<string, unknown> {
  const proc = guestOs(g).processes.get(pid);
  if (!proc) throw agentError(`Invalid parameter 'pid'`);
  if (Date.now() < proc.endsAt) return { exited: 0 };
  guestOs(g).processes.delete(pid); // QGA forgets a process once its exit was reported
  return {
    exited: 1,
    exitcode: proc.exitcode,
    ...(proc.out ? { "out-data": proc.out } : {}),
    ...(proc.err ? { "err-data": proc.err } : {}),
  };
}

export function readFile(g: MockGuest, file: string, offset = 0, count = 16 * 2 ** 20): Buffer {
  const data = guestOs(g).files.get(file);
  if (!data)
    throw agentError(`failed to open file '${file}' (mode: 'r'): No such file or directory`);
  return data.subarray(offset, offset + count);
}

export function writeFile(g: MockGuest, file: string, data: Buffer): void {
  if (!/^(\/|[A-Za-z]:\\)/.test(file)) {
    throw agentError(`failed to open file '${file}' (mode: 'w'): No such file or directory`);
  }
  guestOs(g).files.set(file, data);
}

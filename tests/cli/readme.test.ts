// Every command the README shows is run here. Each shell block runs in sh -e, in a fresh
// folder, against a simulated cluster that stands in for pve.example.com (with a token
// `mcp@pve!mcp=xxxxxxxx-…` holding the role `proxmox-mcp role --toolsets all` prints, and its CA
// as ./pve-root-ca.pem). Programs that cannot run here are stand-ins on PATH that check their
// arguments against what they would act on: `curl … install.sh | sh` runs the real installer on
// a fake release under a scratch root, `claude mcp add … -- proxmox-mcp FLAGS` runs `doctor` with
// those flags, `pveum` takes only the commands it knows, and brew, scoop and docker are recorded
// and held against the release workflow and the settings. JSON client configs run `doctor` with
// their args and env. A README command with any other program fails this test.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentRelease } from "../../scripts/release.ts";
import { imageRef } from "../../scripts/render/server-json.ts";
import { planRole } from "../../src/commands/privileges.ts";
import { envName, parseFlags, SETTINGS, type SettingDef } from "../../src/config/index.ts";
import { type MockServer, startMock } from "../../src/mock/index.ts";
import catalog from "../../src/tools/catalog.json" with { type: "json" };
import { fakeReleaseDir } from "../packaging/fake-release.ts";

const repo = join(import.meta.dir, "../..");
const main = join(repo, "src/main.ts");
const readme = readFileSync(join(repo, "README.md"), "utf8");
const workflow = readFileSync(join(repo, ".github/workflows/release.yml"), "utf8");
const pinnedBun = String(
  JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).packageManager,
).replace("bun@", "");
const SECRET = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
const PROGRAMS = new Set([
  "proxmox-mcp",
  "npm",
  "bun",
  "curl",
  "brew",
  "scoop",
  "docker",
  "claude",
  "pveum",
  "systemctl",
  "export",
]);

interface Block {
  lang: string;
  body: string;
  line: number;
}

const blocks: Block[] = [...readme.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1] ?? "",
  body: m[2] ?? "",
  line: readme.slice(0, m.index).split("\n").length,
}));
const shellBlocks = blocks.filter((b) => b.lang === "sh" || b.lang === "powershell");
const jsonBlocks = blocks.filter((b) => b.lang === "json");

/** The commands of a block: continuation lines joined, comments and blank lines dropped. */
const commandsOf = (body: string): string[] =>
  body
    .replaceAll(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));

/** The program a command runs; an assignment alone (`PRIVS="…"`) runs none. */
function programOf(command: string): string | undefined {
  if (/^[A-Z_]+=("[^"]*"|\S*)$/.test(command)) return undefined;
  return command.replace(/^([A-Z_]+=('[^']*'|"[^"]*"|\S+)\s+)+/, "").split(/\s+/)[0];
}

let mock: MockServer;
let release: string;
let shims: string;

function stub(name: string, body: string): void {
  writeFileSync(join(shims, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(shims, name), 0o755);
}

beforeAll(async () => {
  mock = await startMock({ tls: true });
  const s = mock.state;
  const everything = catalog.map((t) => t.name);
  s.dc.roles.set("ProxmoxMCP", planRole(everything).privileges);
  s.users.set("mcp@pve", { userid: "mcp@pve", password: "", enable: true });
  s.acl.push({ path: "/", ugid: "mcp@pve", roleid: "ProxmoxMCP", propagate: true });
  s.tokens.push({ userid: "mcp@pve", tokenid: "mcp", secret: SECRET, privsep: false });
  release = fakeReleaseDir();
  shims = mkdtempSync(join(tmpdir(), "pmcp-readme-bin-"));
  const bun = process.execPath;
  // Servers and the mock run until told to stop: started, seen ready, then stopped.
  stub(
    "proxmox-mcp",
    `case "$1 $*" in
  mock*|*" --server-type http"*|*" -t http"*)
    log=$(mktemp)
    case "$*" in *--http-port*|mock*) extra="" ;; *) extra="--http-port 0" ;; esac
    # shellcheck disable=SC2086
    "${bun}" "${main}" "$@" $extra </dev/null >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 200); do
      if grep -q -e "listening on" -e "Ctrl-C stops it" "$log"; then kill $pid; wait $pid 2>/dev/null; exit 0; fi
      kill -0 $pid 2>/dev/null || break
      sleep 0.1
    done
    cat "$log" >&2; kill $pid 2>/dev/null; exit 1 ;;
  *) exec "${bun}" "${main}" "$@" </dev/null ;;
esac`,
  );
  stub(
    "npm",
    `[ "$*" = "install -g bun@${pinnedBun} --allow-scripts=bun" ] || { echo "npm: unexpected $*" >&2; exit 64; }`,
  );
  // bun install and bun run demo really run; bun test is what CI runs, so it is not nested here.
  stub(
    "bun",
    `cd "${repo}"
case "$*" in
  "install --frozen-lockfile") exec "${bun}" install --frozen-lockfile ;;
  "run demo") exec "${bun}" "${main}" --demo </dev/null ;;
  test) exit 0 ;;
  *) echo "bun: unexpected $*" >&2; exit 64 ;;
esac`,
  );
  stub(
    "curl",
    `url=""; for a in "$@"; do case "$a" in https://*) url=$a ;; esac; done
[ "$url" = "https://github.com/${currentRelease().repo}/releases/latest/download/install.sh" ] || { echo "curl: unexpected $url" >&2; exit 22; }
printf '%s\\n' 'exec sh "${repo}/packaging/install.sh" --from-dir "${release}" --root "$SCRATCH_ROOT" --libc glibc "$@"'`,
  );
  stub(
    "systemctl",
    `[ "$*" = "enable --now proxmox-mcp" ] && [ -f "$SCRATCH_ROOT/etc/systemd/system/proxmox-mcp.service" ]`,
  );
  stub(
    "claude",
    `[ "$1 $2" = "mcp add" ] || exit 64; shift 3
while [ "$1" != "--" ]; do case "$1" in -e) export "$2"; shift 2 ;; *) echo "claude: unexpected $1" >&2; exit 64 ;; esac; done
shift; [ "$1" = proxmox-mcp ] || exit 64; shift
exec proxmox-mcp doctor "$@"`,
  );
  stub(
    "pveum",
    `case "$1 $2" in "role add"|"role modify"|"user add"|"acl modify"|"user token") ;; *) echo "pveum: unexpected $*" >&2; exit 64 ;; esac
printf '%s\\n' "$*" >> "$RECORD"`,
  );
  for (const tool of ["brew", "scoop", "docker"])
    stub(tool, `printf '${tool} %s\\n' "$*" >> "$RECORD"`);
});

afterAll(async () => {
  await mock?.stop();
});

/** The block with pve.example.com pointing at the simulated cluster. */
const local = (text: string) =>
  text
    .replaceAll("pve.example.com", `127.0.0.1:${mock.port}`)
    .replaceAll("--port 8006", "--port 0"); // any free port: 8006 may be taken here

async function runBlock(
  body: string,
): Promise<{ status: number; stderr: string; record: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-readme-"));
  const home = join(dir, "home");
  mkdirSync(home);
  writeFileSync(join(dir, "pve-root-ca.pem"), mock.certificate?.pem ?? "");
  writeFileSync(join(dir, "block.sh"), local(body));
  const record = join(dir, "record");
  writeFileSync(record, "");
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("PROXMOX_")),
  ) as Record<string, string>;
  const proc = Bun.spawn(["sh", "-e", "block.sh"], {
    cwd: dir,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ...env,
      PATH: `${shims}:${process.env.PATH}`,
      HOME: home,
      NO_COLOR: "1",
      RECORD: record,
      SCRATCH_ROOT: join(dir, "root"),
    },
  });
  const [stderr, status] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  await new Response(proc.stdout).text();
  return { status, stderr, record: readFileSync(record, "utf8").split("\n").filter(Boolean) };
}

test("the README has commands, and names only programs this test knows how to run", () => {
  expect(shellBlocks.length).toBeGreaterThan(10);
  const unknown = shellBlocks.flatMap((block) =>
    commandsOf(block.body)
      .flatMap((command) => command.split(/&&|\|\|/))
      .map((part) => programOf(part.trim()))
      .filter((program) => program !== undefined && !PROGRAMS.has(program))
      .map((program) => `line ${block.line}: ${program}`),
  );
  expect(unknown).toEqual([]);
});

describe("every shell block of the README runs", () => {
  for (const block of shellBlocks) {
    test(`line ${block.line}: ${commandsOf(block.body)[0]?.slice(0, 60)}`, async () => {
      const run = await runBlock(block.body);
      expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({
        status: 0,
        stderr: "",
      });
      for (const line of run.record) checkRecorded(line);
    }, 60_000);
  }
});

const settingsEnv = new Set((SETTINGS as readonly SettingDef[]).map(envName).filter(Boolean));

/** What brew, scoop and docker would have done, held against what the release publishes. */
function checkRecorded(line: string): void {
  const [tool, ...args] = line.split(" ");
  const owner = currentRelease().repo.split("/")[0];
  if (tool === "brew") {
    expect(args).toEqual(["install", `${owner}/tap/proxmox-mcp`]);
    expect(workflow).toContain(
      "publish homebrew-tap dist/packaging/proxmox-mcp.rb Formula/proxmox-mcp.rb",
    );
  } else if (tool === "scoop") {
    const url = `https://github.com/${currentRelease().repo}/releases/latest/download/proxmox-mcp.json`;
    expect(args).toEqual(["install", url]);
    expect(workflow).toContain("dist/packaging/proxmox-mcp.json");
  } else if (tool === "docker") {
    const image = args.findIndex((a) => a.startsWith("ghcr.io/"));
    expect(args[image]).toBe(imageRef({ ...currentRelease(), version: "latest" }));
    for (const [i, a] of args.entries()) {
      if (a === "-e") expect(settingsEnv.has(args[i + 1]?.split("=")[0] ?? "")).toBe(true);
    }
    expect(() => parseFlags(args.slice(image + 1))).not.toThrow();
  } else if (tool !== "role" && tool !== "user" && tool !== "acl") {
    throw new Error(`unexpected record: ${line}`);
  }
}

describe("every client config of the README works", () => {
  for (const block of jsonBlocks) {
    const config = JSON.parse(block.body) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    const servers = Object.values(config.mcpServers ?? config.servers ?? {});
    for (const server of servers) {
      test(`line ${block.line}: ${server.command} ${(server.args as string[]).join(" ")}`, async () => {
        expect(server.command).toBe("proxmox-mcp");
        const env = Object.entries((server.env ?? {}) as Record<string, string>)
          .map(([k, v]) => `${k}='${v.replace(/^\$\{input:[\w-]+\}$/, `mcp@pve!mcp=${SECRET}`)}'`)
          .join(" ");
        const args = (server.args as string[]).map((a) => `'${a}'`).join(" ");
        const run = await runBlock(`${env} proxmox-mcp doctor ${args}\n`);
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      }, 60_000);
    }
  }
});

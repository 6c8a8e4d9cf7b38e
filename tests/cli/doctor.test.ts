// `proxmox-mcp doctor` against the simulated cluster, run as a user would run it (a separate
// process with flags and env): every layer's verdict, the advice that fits, the exit status, and
// never a secret. Also the server's own check at start, which warns without refusing to start.

import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PeerCertificate } from "node:tls";
import { type MockServer, startMock } from "../../src/mock/index.ts";
import { tlsAdvice } from "../../src/pve/connection-check.ts";
import { exchange, initialize, initialized } from "../support/stdio.ts";

const main = join(import.meta.dir, "../../src/main.ts");
let mocks: MockServer[] = [];

afterEach(async () => {
  await Promise.all(mocks.map((m) => m.stop()));
  mocks = [];
});

async function mock(tls = true): Promise<MockServer> {
  const m = await startMock({ tls });
  mocks.push(m);
  return m;
}

/** A clean environment: no PROXMOX_* from outside, no config.toml in the working directory. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("PROXMOX_")),
  ) as Record<string, string>;
  return { ...clean, NO_COLOR: "1", ...extra };
}

async function doctor(args: string[], extraEnv: Record<string, string> = {}) {
  const proc = Bun.spawn([process.execPath, main, "doctor", ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: env(extraEnv),
    cwd: mkdtempSync(join(tmpdir(), "pmcp-doctor-")),
  });
  const [stdout, stderr, status] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, status };
}

const token = (m: MockServer) => `${m.credentials.tokenId}=${m.credentials.tokenSecret}`;
const host = (m: MockServer) => `127.0.0.1:${m.port}`;

function caFile(m: MockServer): string {
  const file = join(mkdtempSync(join(tmpdir(), "pmcp-ca-")), "ca.pem");
  writeFileSync(file, m.certificate?.pem ?? "");
  return file;
}

const oneLine = (text: string) => text.replaceAll(/\s+/g, " ");

/** The simulated cluster's address with its certificate trusted. */
const trusted = (m: MockServer) => ["--host", host(m), "--ca-file", caFile(m)];

describe("doctor against the simulated cluster", () => {
  test("a self-signed certificate without --ca-file fails with how to trust it", async () => {
    const m = await mock();
    const run = await doctor(["--host", host(m), "--user", token(m)]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}tls +certificate not signed by a CA this machine trusts/m);
    const text = oneLine(run.stdout);
    expect(text).toContain("subject CN=pve-mock");
    expect(text).toContain(`openssl s_client -connect 127.0.0.1:${m.port} -showcerts`);
    expect(text).toContain("--ca-file pve.pem");
    expect(text).toContain("--ca-file /etc/pve/pve-root-ca.pem on a node");
    expect(text).toContain("--no-verify-ssl");
    const fingerprint = m.certificate?.fingerprint256 ?? "";
    expect(run.stdout.replaceAll(/\s+/g, "")).toContain(fingerprint);
    // The certificate was the only problem: the credentials were still checked, past it.
    expect(run.stdout).toMatch(/^ok {4}auth +token root@pam!mcp accepted/m);
    expect(run.stdout).toContain("Not ready: fix tls");
  });

  test("with --ca-file and the right token, all passes and the exit status is 0", async () => {
    const m = await mock();
    const run = await doctor(trusted(m), {
      PROXMOX_API_TOKEN: token(m),
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const step of ["dns", "tcp", "tls", "api", "auth", "version"]) {
      expect(run.stdout).toMatch(new RegExp(`^ok {4}${step} `, "m"));
    }
    expect(run.stdout).toContain(`verified with --ca-file`);
    expect(run.stdout).toMatch(
      /^(ok|warn) +privileges +the \d+ enabled tools have the privileges/m,
    );
    expect(run.stdout).not.toContain(m.credentials.tokenSecret);
  });

  test("a wrong token fails at auth, names the settings to fix and never shows a secret", async () => {
    const m = await mock();
    const wrong = "11111111-2222-3333-4444-555555555555";
    const run = await doctor([...trusted(m), "--user", `root@pam!mcp=${wrong}`]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}auth +Proxmox refused token root@pam!mcp \(401/m);
    const text = oneLine(run.stdout);
    expect(text).toContain("--user USER@REALM!TOKENID=SECRET");
    expect(text).toContain("PROXMOX_API_TOKEN");
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrong);
    expect(`${run.stdout}${run.stderr}`).not.toContain(m.credentials.tokenSecret);
  });

  test("a plain-HTTP port is named as such, not as a certificate problem", async () => {
    const m = await mock(false);
    const run = await doctor(["--host", host(m), "--user", token(m)]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}tls +127\.0\.0\.1:\d+ speaks plain HTTP, not HTTPS/m);
  });

  test("a closed port and an unknown name fail at their own layer", async () => {
    const m = await mock();
    await m.stopListening();
    const closed = await doctor(["--host", host(m), "--user", token(m)]);
    expect(closed.status).toBe(1);
    expect(closed.stdout).toMatch(/^FAIL {2}tcp +nothing listens on 127\.0\.0\.1:\d+/m);
    const unknown = await doctor(["--host", "no-such-host.invalid", "--user", "a@pve", "-P", "x"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toMatch(/^FAIL {2}dns +cannot resolve no-such-host\.invalid/m);
  });

  test("missing privileges are listed for the enabled tools; --read-only needs fewer", async () => {
    const m = await mock();
    const auditor = [...trusted(m), "--user", m.credentials.auditorUser];
    const env = { PROXMOX_PASSWORD: m.credentials.auditorPassword };
    const all = await doctor(auditor, env);
    expect(all.status).toBe(1);
    expect(all.stdout).toMatch(/^FAIL {2}privileges +\d+ of \d+ enabled tools lack privileges/m);
    expect(oneLine(all.stdout)).toContain("VM.PowerMgmt on /vms: ");
    expect(oneLine(all.stdout)).toContain("`proxmox-mcp role` with the same flags");
    const reads = await doctor(
      [
        ...auditor,
        "--read-only",
        "--exclude-tools",
        "list_usb_devices,list_apt_updates,get_node_syslog,get_cluster_log,vm_exec_status,vm_read_file",
      ],
      env,
    );
    expect(reads.stdout).toMatch(/^ok {4}privileges/m);
    expect(reads.status).toBe(0);
  });

  test("a token with privilege separation and no ACL is told why it holds nothing", async () => {
    const m = await mock();
    m.state.tokens.push({
      userid: "auditor@pve",
      tokenid: "sep",
      secret: "sep-secret-1",
      privsep: true,
    });
    const run = await doctor([
      ...trusted(m),
      "--user",
      "auditor@pve!sep=sep-secret-1",
      "--read-only",
    ]);
    expect(run.status).toBe(1);
    expect(oneLine(run.stdout)).toContain(
      "This token has privilege separation and no ACL of its own",
    );
  });

  test("--demo checks the built-in simulated cluster and passes", async () => {
    const run = await doctor(["--demo", "--read-only"]);
    expect(run.stdout).toContain("(the simulated cluster)");
    expect(run.status).toBe(0);
  });

  test("a settings mistake is a usage error (exit 2) before anything is sent", async () => {
    const run = await doctor(["--host", "pve", "--user", "root"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--user must be USER@REALM");
  });
});

describe("TLS advice fits the certificate", () => {
  const cert = (issuer: Record<string, string>, subject: Record<string, string>) =>
    ({ issuer, subject, subjectaltname: "DNS:pve1", valid_to: "x" }) as unknown as PeerCertificate;

  test("PVE's own cluster CA: use /etc/pve/pve-root-ca.pem, or copy it from the host", () => {
    const advice = tlsAdvice(
      cert({ CN: "Proxmox Virtual Environment", O: "PVE Cluster Manager CA" }, { CN: "pve1" }),
      "pve1.example.com",
      8006,
      "not signed by a CA this machine trusts",
    ).join(" ");
    expect(advice).toContain("--ca-file /etc/pve/pve-root-ca.pem");
    expect(advice).toContain("scp root@pve1.example.com:/etc/pve/pve-root-ca.pem");
  });

  test("a certificate made for another name says which names it holds", () => {
    const advice = tlsAdvice(
      cert({ CN: "CA" }, { CN: "pve1" }),
      "10.0.0.5",
      8006,
      "made for other names than 10.0.0.5",
    );
    expect(advice[0]).toContain("DNS:pve1");
  });
});

describe("the server's connection check at start", () => {
  test("a wrong token is a warning on stderr and an MCP log message; the server still serves", async () => {
    const m = await mock();
    const logged = (messages: Record<string, unknown>[]) =>
      messages.some((x) => x.method === "notifications/message") &&
      messages.some((x) => x.id === 2);
    const { messages, stderr } = await exchange(
      [process.execPath, main, ...trusted(m), "--user", "root@pam!mcp=wrong-secret"],
      [initialize("2025-06-18"), initialized, { jsonrpc: "2.0", id: 2, method: "tools/list" }],
      logged,
      15_000,
      env(),
    );
    const notice = messages.find((x) => x.method === "notifications/message") as {
      params?: { data?: string };
    };
    expect(notice?.params?.data).toContain("Proxmox connection check failed at auth");
    expect(stderr).toContain("[warn] Proxmox connection check failed at auth");
    expect(stderr).not.toContain("wrong-secret");
    expect(messages.find((x) => x.id === 2)).toHaveProperty("result.tools");
  });
});

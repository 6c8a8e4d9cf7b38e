// The self-signed certificate: trusted with `ca`, refused without, parsable by openssl.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type MockServer, startMock } from "../../src/mock/index.ts";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock({ taskDurationMs: 50 });
});
afterAll(() => mock.stop());

test("https with the certificate as CA succeeds, by IP and by localhost", async () => {
  expect(mock.url).toStartWith("https://127.0.0.1:");
  const ca = mock.certificate?.pem as string;
  const res = await fetch(`${mock.url}/api2/json/version`, { tls: { ca } });
  expect([res.status, res.statusText]).toEqual([401, "No ticket"]);
  const byName = await fetch(`https://localhost:${mock.port}/api2/json/version`, { tls: { ca } });
  expect(byName.status).toBe(401);
});

test("without the CA the certificate is refused", async () => {
  expect(fetch(`${mock.url}/api2/json/version`)).rejects.toThrow();
});

test("fingerprint matches /nodes ssl_fingerprint of the answering node", async () => {
  const fp = mock.certificate?.fingerprint256;
  expect(fp).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  expect(mock.state.nodes.get("pve1")?.sslFingerprint).toBe(fp as string);
});

test("openssl parses it", async () => {
  if (!Bun.which("openssl")) return;
  const proc = Bun.spawn(["openssl", "x509", "-noout", "-text"], {
    stdin: new Blob([mock.certificate?.pem ?? ""]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  expect(out).toContain("Subject: CN = pve-mock");
  expect(out).toContain("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
  expect(out).toContain("ecdsa-with-SHA256");
});

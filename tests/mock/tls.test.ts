// The self-signed certificate: trusted with `ca`, refused without, read by a certificate parser.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { type MockServer, startMock } from "../../src/mock/index.ts";

let mock: MockServer;
beforeEach(async () => {
  mock = await startMock({ taskDurationMs: 50 });
});
afterEach(() => mock.stop());

test("https with the certificate as CA succeeds, by IP and by localhost", async () => {
  expect(mock.url).toStartWith("https://127.0.0.1:");
  const ca = mock.certificate?.pem as string;
  const res = await fetch(`${mock.url}/api2/json/version`, { tls: { ca } });
  expect([res.status, res.statusText]).toEqual([401, "No ticket"]);
  const byName = await fetch(`https://localhost:${mock.port}/api2/json/version`, { tls: { ca } });
  expect(byName.status).toBe(401);
});

test("without the CA the certificate is refused", async () => {
  await expect(fetch(`${mock.url}/api2/json/version`)).rejects.toMatchObject({
    code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  });
});

test("fingerprint matches /nodes ssl_fingerprint of the answering node", async () => {
  const fp = mock.certificate?.fingerprint256;
  expect(fp).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  expect(mock.state.nodes.get("pve1")?.sslFingerprint).toBe(fp as string);
});

test("a certificate parser reads it: self-signed ECDSA P-256 with the SANs clients check", () => {
  // node:crypto's X509Certificate (BoringSSL under Bun), so no openssl binary is needed.
  const x509 = new X509Certificate(mock.certificate?.pem ?? "");
  expect(x509.subject).toBe("CN=pve-mock");
  expect(x509.subjectAltName).toBe(
    "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
  );
  expect(x509.publicKey.asymmetricKeyType).toBe("ec");
  expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  expect(x509.verify(x509.publicKey)).toBe(true);
  expect(x509.fingerprint256).toBe(mock.certificate?.fingerprint256 as string);
});

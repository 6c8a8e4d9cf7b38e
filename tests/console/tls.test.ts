// The console WebSocket over HTTPS uses the API client's TLS settings (PveClient.tls): the mock's
// self-signed certificate trusted as CA, or verification off; without them it is refused.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { type MockServer, startMock } from "../../src/mock/index.ts";
import { ConsoleError, ConsoleRegistry } from "../../src/pve/console/index.ts";
import { PveClient } from "../../src/pve/index.ts";

let mock: MockServer;
const registries: ConsoleRegistry[] = [];
beforeAll(async () => {
  mock = await startMock({ tls: true, taskDurationMs: 50 });
});
afterAll(async () => {
  for (const r of registries) r.closeAll();
  await mock.stop();
});

/** Opens a node shell through its own registry, closed when the file ends. */
function openShell(pve: PveClient) {
  const consoles = new ConsoleRegistry(() => pve);
  registries.push(consoles);
  return consoles.open({ kind: "node", node: "pve1" });
}

function client(options: { verifyTls: boolean; ca?: string }): PveClient {
  return new PveClient({
    origin: mock.url,
    timeoutMs: 10_000,
    user: mock.credentials.user,
    password: mock.credentials.password,
    ...options,
  });
}

test("wss with the certificate trusted as CA: a shell over TLS", async () => {
  const pve = client({ verifyTls: true, ca: mock.certificate?.pem });
  const session = await openShell(pve);
  // A bound for a loaded machine, not a measure: the prompt is the signal.
  expect(await session.wait({ until: (u) => /# $/.test(u), timeoutMs: 20_000 })).toBe("pattern");
  expect(session.read().text).toEndWith("root@pve1:~# ");
  session.close();
});

test("wss with verification off (--no-verify-ssl)", async () => {
  const pve = client({ verifyTls: false });
  const session = await openShell(pve);
  expect(session.open).toBe(true);
  session.close();
});

test("a WebSocket that does not share the client's TLS settings is refused, and says what to do", async () => {
  const pve = client({ verifyTls: true, ca: mock.certificate?.pem });
  // fetch trusts the CA (termproxy works); the WebSocket is made to use the system's CAs.
  Object.defineProperty(pve, "tls", { value: undefined });
  const error = await openShell(pve).catch((e) => e);
  expect(error).toBeInstanceOf(ConsoleError);
  expect(error.message).toContain("TLS verification of the console WebSocket");
  expect(error.hint).toContain("--ca-file");
});

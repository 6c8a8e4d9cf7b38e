// --demo: an in-process simulated cluster over HTTPS with its own fresh certificate, which the
// client trusts by pinning it (as a real user would with --ca-file), with token auth.

import { startMock } from "../mock/index.ts";
import type { SafetyOptions } from "../pve/from-settings.ts";
import { PveClient } from "../pve/index.ts";
import { log } from "../server/log.ts";

export async function startDemo(safety: SafetyOptions = {}): Promise<PveClient> {
  const mock = await startMock({ tls: true });
  const { user, tokenId, tokenSecret } = mock.credentials;
  log.info(`demo cluster running at ${mock.url} (simulated; nothing real is touched)`);
  return new PveClient({
    origin: mock.url,
    verifyTls: true,
    ca: mock.certificate?.pem,
    timeoutMs: 30_000,
    user,
    tokenName: tokenId.split("!")[1],
    tokenValue: tokenSecret,
    ...safety,
    log: { debug: (m) => log.debug(m), notice: (m) => log.warn(m) },
  });
}

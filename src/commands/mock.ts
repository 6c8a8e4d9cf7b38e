// `proxmox-mcp mock`: the simulated cluster on its own, to point this server (or any Proxmox
// client) at. Prints where it listens and the credentials to use.

import { defineCommand } from "citty";
import { ConfigError } from "../config/index.ts";
import { startMock } from "../mock/index.ts";

/** A whole-number option, checked: "abc" must not quietly become a cluster of NaN nodes. */
function whole(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

export const mockCommand = defineCommand({
  meta: { name: "mock", description: "Run the built-in simulated Proxmox VE cluster" },
  args: {
    "bind-host": {
      type: "string",
      valueHint: "<address>",
      description: "Address to bind [default: 127.0.0.1]",
    },
    port: {
      type: "string",
      alias: "p",
      valueHint: "<n>",
      description: "Port [default: 8006; 0 = any free]",
    },
    http: { type: "boolean", description: "Plain HTTP instead of HTTPS" },
    "task-ms": {
      type: "string",
      valueHint: "<n>",
      description: "How long a task runs, in ms [default: 1500]",
    },
    "no-auth-delay": {
      type: "boolean",
      description: "Answer failed logins at once (PVE delays every 401 by 3 s), for tests",
    },
    nodes: { type: "string", valueHint: "<n>", description: "Number of nodes [default: 3]" },
    guests: {
      type: "string",
      valueHint: "<n>",
      description:
        "Number of guests, the demo's 9 at least (more get vmids from 1000) [default: 9]",
    },
  },
  async run({ args }) {
    const mock = await startMock({
      tls: !args.http,
      hostname: args["bind-host"] ?? "127.0.0.1",
      port: whole("port", args.port, 0, 65535) ?? 8006,
      taskDurationMs: whole("task-ms", args["task-ms"], 0),
      unauthorizedDelayMs: args["no-auth-delay"] ? 0 : 3000,
      nodes: whole("nodes", args.nodes, 1, 1000),
      guests: whole("guests", args.guests, 1, 1_000_000),
    });
    const c = mock.credentials;
    const lines = [
      `Simulated Proxmox VE listening on ${mock.url}/api2/json`,
      `  user:     ${c.user}   password: ${c.password}`,
      `  token:    ${c.tokenId}=${c.tokenSecret}`,
      `  auditor:  ${c.auditorUser}   password: ${c.auditorPassword} (read-only)`,
      ...(mock.certificate
        ? [`  TLS:      self-signed, SHA-256 ${mock.certificate.fingerprint256}`]
        : []),
      "Connect the MCP server to it:",
      // The token as PVE prints it, quoted for the shell (`!` is history expansion in bash).
      // Plain HTTP is said as a URL: a bare host means HTTPS.
      `  proxmox-mcp --host ${mock.tls ? `${mock.host} --port ${mock.port}` : mock.url} --user '${c.tokenId}=${c.tokenSecret}'${mock.tls ? " --no-verify-ssl" : ""}`,
      "Ctrl-C stops it.",
    ];
    console.log(lines.join("\n"));
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await mock.stop();
  },
});

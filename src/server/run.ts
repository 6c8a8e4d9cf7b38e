// `proxmox-mcp` (serve): settings → logging → Proxmox client (built lazily) → transport.

import pkg from "../../package.json" with { type: "json" };
import type { Settings } from "../config/index.ts";
import { ConsoleRegistry } from "../pve/console/registry.ts";
import {
  checkTargetFromSettings,
  clientFromSettings,
  type SafetyOptions,
  safetyOf,
} from "../pve/from-settings.ts";
import type { PveClient } from "../pve/index.ts";
import { rawApiFromSettings } from "./api-settings.ts";
import { configureLog, log, registerSecret } from "./log.ts";
import { standingNotice } from "./notices.ts";
import type { ServerOptions } from "./options.ts";
import { checkedPolicy, selectTools, withoutSessions } from "./policy.ts";
import { serveStdio } from "./stdio.ts";
import { lazyToolSource } from "./tool-source.ts";

const DISCOVERY_NOTE =
  "More tools than those listed exist: list_toolsets shows them, enable_toolset brings them in. ";

const instructions = (discovery: boolean) =>
  "Tools for a Proxmox VE cluster. Guests are found by vmid alone (node and qemu/lxc are detected). " +
  (discovery ? DISCOVERY_NOTE : "") +
  "Long operations wait for their task and report progress; if one is still running you get its UPID: " +
  "follow it with wait_for_task. Listings are paged: pass next_cursor as cursor for more. " +
  "Sizes are bytes, *_pct fields percentages, durations seconds, times ISO-8601 UTC; the text shows them in units. " +
  "Errors say what Proxmox refused and what to try.";

export interface RunOptions {
  settings: Settings;
  /** Makes the client another way (the demo's), with these safety options; default: settings. */
  client?: (safety: SafetyOptions) => Promise<PveClient>;
}

export async function runServer({ settings, client }: RunOptions): Promise<void> {
  configureLog(
    settings.log_level,
    settings.log_file_enable
      ? { dir: settings.log_dir, filename: settings.log_filename, rotate: settings.log_rotate }
      : undefined,
  );
  for (const secret of [settings.password, settings.token_value, settings.http_auth_token]) {
    registerSecret(secret);
  }
  log.debug(`settings: ${JSON.stringify(settings)}`); // redacted by the logger
  // The MCP client hears of its own calls' requests and notices through pve/call-log.ts.
  const clientLog = { debug: (m: string) => log.debug(m), notice: (m: string) => log.warn(m) };
  const tools = lazyToolSource();
  const policy = checkedPolicy(tools.listed, settings);
  const stateless = settings.server_type === "http" && settings.http_stateless;
  // The client holds the scope and writes each request's audit intent: every request passes it.
  const audit = settings.audit_log
    ? (await import("./audit.ts")).createAuditLog(settings.audit_log)
    : undefined;
  const safety = safetyOf(settings, audit);
  // Building the client sends nothing; it fails fast on a missing host or credentials.
  const pve = client ? await client(safety) : clientFromSettings(settings, clientLog, safety);
  if (!client) checkAtStart(settings);
  const options: ServerOptions = {
    name: "proxmox-mcp",
    version: pkg.version,
    tools,
    pve: () => pve,
    taskWaitMs: settings.task_wait * 1000,
    taskReconnectMs: settings.task_reconnect * 1000,
    instructions: instructions(
      selectTools(tools.listed, stateless ? withoutSessions(policy) : policy).initial.some(
        (t) => t.name === "enable_toolset",
      ),
    ),
    policy,
    confirm: !settings.no_confirm,
    audit,
    transport: settings.server_type,
    api: rawApiFromSettings(() => pve, settings),
    consoles: new ConsoleRegistry(() => pve),
  };
  if (settings.server_type === "http") {
    // Loaded only here: stdio start-up does not pay for the HTTP transports.
    const { serveHttp } = await import("./http.ts");
    await serveHttp(options, settings);
    return;
  }
  await serveStdio(options, settings.http_max_body_bytes);
  options.consoles.closeAll(); // the client is gone: no console outlives it
}

/** Long enough for a client's first exchange to be answered before the check starts. */
const CHECK_DELAY_MS = 250;

/**
 * The connection check of `proxmox-mcp doctor`, in the background: a wrong token or certificate
 * is reported now (stderr, and MCP log messages to the sessions that start soon), not at the
 * first tool call. The server starts anyway: the host may come back, a setting may be fixed. It
 * waits for the transport's first exchange and loads its modules then, so start-up pays nothing.
 */
function checkAtStart(settings: Settings): void {
  setTimeout(async () => {
    try {
      const started = performance.now();
      const target = checkTargetFromSettings(settings);
      const { checkConnection } = await import("../pve/connection-check.ts");
      const { steps } = await checkConnection(target);
      const failed = steps.find((s) => s.status === "fail");
      if (!failed) {
        log.debug(`connection check passed in ${Math.round(performance.now() - started)} ms`);
        return;
      }
      const advice = failed.advice?.[0] ? ` ${failed.advice[0]}` : "";
      const detail = failed.detail.split("\n")[0];
      const message = `Proxmox connection check failed at ${failed.name}: ${detail}.${advice} (\`proxmox-mcp doctor\` with the same settings shows every step.)`;
      log.warn(message);
      standingNotice("warning", message);
    } catch (error) {
      log.debug(`connection check could not run: ${error}`);
    }
  }, CHECK_DELAY_MS);
}

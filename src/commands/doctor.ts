// `proxmox-mcp doctor`: with the server's own settings (every flag, env var and config key),
// checks each layer between this machine and Proxmox, then whether the credentials hold the
// privileges the enabled tools need. One table; exit 0 when nothing failed, 1 otherwise.

import { defineCommand } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { cliArgs, loadSettings, type Settings } from "../config/index.ts";
import { type CheckTarget, checkConnection, type Step } from "../pve/connection-check.ts";
import { checkTargetFromSettings } from "../pve/from-settings.ts";
import { PveClient } from "../pve/index.ts";
import { privilegeStep } from "./doctor-privileges.ts";
import { enabledTools } from "./enabled-tools.ts";
import { helpWidth, wrap } from "./help.ts";

/** The target as the settings describe it; with --demo, a simulated cluster of its own. */
async function targetOf(
  settings: Settings,
): Promise<{ target: CheckTarget; stop?: () => Promise<void> }> {
  const timeoutMs = settings.timeout * 1000;
  if (settings.demo) {
    const { startMock } = await import("../mock/index.ts");
    const mock = await startMock({ tls: true });
    const { user, tokenId, tokenSecret } = mock.credentials;
    const ca = mock.certificate?.pem;
    const make = (verifyTls: boolean) =>
      new PveClient({
        origin: mock.url,
        verifyTls,
        ca,
        timeoutMs,
        user,
        tokenName: tokenId.split("!")[1],
        tokenValue: tokenSecret,
      });
    return {
      target: {
        origin: mock.url,
        verifyTls: true,
        ca,
        timeoutMs,
        client: make(true),
        insecureClient: () => make(false),
      },
      stop: () => mock.stop(),
    };
  }
  return { target: checkTargetFromSettings(settings) };
}

const LABEL: Record<Step["status"], string> = {
  ok: "ok",
  warn: "warn",
  fail: "FAIL",
  skip: "skip",
};

export function renderSteps(steps: readonly Step[], columns?: number): string {
  const width = helpWidth(columns);
  const nameWidth = Math.max(...steps.map((s) => s.name.length)) + 2;
  const indent = " ".repeat(6 + nameWidth);
  const lines: string[] = [];
  for (const step of steps) {
    const [first = "", ...rest] = step.detail
      .split("\n")
      .flatMap((line) => wrap(line, width - indent.length));
    lines.push(`${LABEL[step.status].padEnd(6)}${step.name.padEnd(nameWidth)}${first}`);
    lines.push(...rest.map((l) => indent + l));
    for (const advice of step.advice ?? []) {
      const [head = "", ...tail] = wrap(advice, width - indent.length - 2);
      lines.push(`${indent}→ ${head}`, ...tail.map((l) => `${indent}  ${l}`));
    }
  }
  return lines.join("\n");
}

function summary(steps: readonly Step[]): string {
  const failed = steps.filter((s) => s.status === "fail").map((s) => s.name);
  const warned = steps.filter((s) => s.status === "warn").map((s) => s.name);
  if (failed.length > 0) return `Not ready: fix ${failed.join(", ")} (see → above).`;
  if (warned.length > 0) return `Ready, with warnings about ${warned.join(", ")}.`;
  return "All is well.";
}

export async function runDoctor(settings: Settings): Promise<{ text: string; code: number }> {
  const { target, stop } = await targetOf(settings);
  try {
    const who = `${target.client.auth.kind === "token" ? "token" : "user"} ${target.client.auth.identity}`;
    const outcome = await checkConnection(target);
    const steps = [...outcome.steps];
    if (outcome.client) steps.push(await privilegeStep(outcome.client, enabledTools(settings)));
    const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
    const text = [
      `${pkg.name} doctor: ${target.origin}, ${who}${settings.demo ? " (the simulated cluster)" : ""}`,
      "",
      renderSteps(steps, columns),
      "",
      summary(steps),
      "",
    ].join("\n");
    return { text, code: steps.some((s) => s.status === "fail") ? 1 : 0 };
  } finally {
    await stop?.();
  }
}

export const doctorCommand = defineCommand({
  meta: {
    name: "doctor",
    description:
      "Check DNS, TCP, TLS, the API, the credentials, the PVE version and the privileges the enabled tools need, with the server's settings",
  },
  args: cliArgs(),
  async run({ args }) {
    const { text, code } = await runDoctor(loadSettings(args));
    process.stdout.write(text);
    // A socket the checks gave up on may still hold the event loop: the verdict is final.
    process.exit(code);
  },
});

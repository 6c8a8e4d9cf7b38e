// Logging: consola, always to stderr (stdout belongs to JSON-RPC in stdio mode), optionally also
// to a rotated file, and always through redaction so no secret reaches a log line.

import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ConsolaReporter, createConsola, type LogObject } from "consola/core";

const LEVELS = { error: 0, warn: 1, info: 3, debug: 4, trace: 5 } as const;
export type LogLevelName = keyof typeof LEVELS;

const secrets = new Set<string>();

/** Values that must never appear in a log line (passwords, token secrets, bearer tokens). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

const SECRET_PATTERNS: RegExp[] = [
  /(PVEAPIToken=[^=\s]+=)[^\s"',]+/gi,
  /(PVEAuthCookie=)[^\s;"',]+/gi,
  /(CSRFPreventionToken["':=\s]+)[^\s"',]+/gi,
  /(Bearer\s+)[^\s"',]+/gi,
  /("?(?:password|token_value|ticket|http_auth_token)"?\s*[:=]\s*"?)[^\s"',}]+/gi,
];

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, "***");
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, "$1***");
  return out;
}

const format = (entry: LogObject): string =>
  redact(
    entry.args
      .map((a) =>
        a instanceof Error ? (a.stack ?? a.message) : typeof a === "string" ? a : JSON.stringify(a),
      )
      .join(" "),
  );

const stderrReporter: ConsolaReporter = {
  log(entry) {
    process.stderr.write(`[${entry.type}] ${format(entry)}\n`);
  },
};

export const log = createConsola({
  level: LEVELS.info,
  reporters: [stderrReporter],
  stdout: process.stderr,
  stderr: process.stderr,
});

export interface FileLogOptions {
  dir: string;
  filename: string;
  rotate: "daily" | "hourly" | "never";
}

/** `proxmox-mcp.log.2026-11-25` (daily), `….2026-11-25-14` (hourly), or the plain name. */
export function logFilePath(options: FileLogOptions, now = new Date()): string {
  const iso = now.toISOString();
  const suffix =
    options.rotate === "daily"
      ? `.${iso.slice(0, 10)}`
      : options.rotate === "hourly"
        ? `.${iso.slice(0, 10)}-${iso.slice(11, 13)}`
        : "";
  return join(options.dir, `${options.filename}${suffix}`);
}

export function configureLog(level: LogLevelName, file?: FileLogOptions): void {
  log.level = LEVELS[level];
  if (!file) return;
  mkdirSync(file.dir, { recursive: true });
  log.addReporter({
    log(entry) {
      const line = `${entry.date.toISOString()} ${entry.type.toUpperCase()} ${format(entry)}\n`;
      try {
        appendFileSync(logFilePath(file, entry.date), line);
      } catch {
        // A full disk must not take the server down; stderr still has the line.
      }
    },
  });
}

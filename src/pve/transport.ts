// One HTTP exchange with the API: URL, TLS, timeout and parameter encoding. No auth, no retries.

import { readFileSync } from "node:fs";
import { PveConnectionError } from "./errors.ts";

export type ParamValue = string | number | boolean | readonly string[] | undefined | null;
export type Params = Record<string, ParamValue>;

export type Send = (
  method: string,
  path: string,
  params?: Params,
  headers?: Record<string, string>,
  signal?: AbortSignal,
) => Promise<Response>;

export interface TransportOptions {
  /** e.g. https://pve.example.com:8006 */
  origin: string;
  verifyTls: boolean;
  /** PEM of a CA or the host's own certificate to trust. */
  caFile?: string;
  ca?: string;
  timeoutMs: number;
}

/** PVE wants 0/1 for booleans and repeated keys for arrays. */
export function encodeParams(params: Params = {}): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, String(v));
    else if (typeof value === "boolean") out.append(key, value ? "1" : "0");
    else out.append(key, String(value));
  }
  return out;
}

/** Bun's fetch TLS options for these settings (undefined: the system's CAs). */
export function tlsOptions(options: TransportOptions) {
  const ca = options.ca ?? (options.caFile ? readFileSync(options.caFile, "utf8") : undefined);
  return options.verifyTls ? (ca ? { ca } : undefined) : { rejectUnauthorized: false };
}

export function createTransport(options: TransportOptions): Send {
  const base = `${options.origin.replace(/\/+$/, "")}/api2/json`;
  const tls = tlsOptions(options);

  return async (method, path, params, headers = {}, signal) => {
    const encoded = encodeParams(params);
    const hasBody = method === "POST" || method === "PUT";
    const query = !hasBody && [...encoded].length > 0 ? `?${encoded}` : "";
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      return await fetch(`${base}${path}${query}`, {
        method,
        headers: hasBody
          ? { ...headers, "Content-Type": "application/x-www-form-urlencoded" }
          : headers,
        body: hasBody ? encoded.toString() : undefined,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        tls,
      });
    } catch (error) {
      throw connectionError(error, method, path, options, signal);
    }
  };
}

function connectionError(
  error: unknown,
  method: string,
  path: string,
  options: TransportOptions,
  signal?: AbortSignal,
): PveConnectionError {
  const e = error as { name?: string; code?: string; message?: string };
  const where = options.origin;
  if (signal?.aborted) return new PveConnectionError("request cancelled", method, path);
  // A write that left but got no answer may still have been carried out.
  const unsure =
    method === "GET"
      ? ""
      : " The request may have been carried out anyway: check (list_tasks, the guest's state) before sending it again.";
  if (e.name === "TimeoutError" || e.name === "AbortError") {
    return new PveConnectionError(
      `no answer from ${where} within ${options.timeoutMs / 1000} s`,
      method,
      path,
      `The host is slow or unreachable; raise --timeout or check the network.${unsure}`,
    );
  }
  const text = `${e.code ?? ""} ${e.message ?? ""}`;
  if (/ECONNRESET|EPIPE|socket connection was closed/i.test(text)) {
    return new PveConnectionError(
      `${where} closed the connection without answering (${e.code ?? e.message})`,
      method,
      path,
      `Proxmox (pveproxy) may be restarting or overloaded; retry in a moment.${unsure}`,
      true,
    );
  }
  // Bun says EPROTO when the port answers, but not with TLS: a plain-HTTP service, not pveproxy.
  if (/EPROTO|WRONG_VERSION_NUMBER|packet length too long|speak TLS/i.test(text)) {
    return new PveConnectionError(
      `${where} does not speak HTTPS (${e.code ?? e.message})`,
      method,
      path,
      "The port answers, but not with TLS: the Proxmox API is HTTPS on port 8006. Check --host and --port; `proxmox-mcp doctor` tells what answers there.",
    );
  }
  if (/CERT|SSL|TLS|certificate|self.signed|UNABLE_TO_VERIFY/i.test(text)) {
    return new PveConnectionError(
      `TLS verification of ${where} failed (${e.code ?? e.message})`,
      method,
      path,
      "Proxmox signs its certificate with its own cluster CA: trust it with --ca-file /etc/pve/pve-root-ca.pem (on the host; elsewhere copy that file from it), or skip the check with --no-verify-ssl. `proxmox-mcp doctor` shows the certificate and its fingerprint.",
    );
  }
  return new PveConnectionError(
    `cannot reach ${where}: ${e.code ?? ""} ${e.message ?? String(error)}`.replace(/\s+/g, " "),
    method,
    path,
    "Check host and port (default 8006) and that pveproxy runs.",
  );
}

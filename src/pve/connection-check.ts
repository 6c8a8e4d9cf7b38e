// The connection to Proxmox checked layer by layer, each with what it found and what to do:
// the name (DNS), the port (TCP), the certificate (TLS: subject, issuer, fingerprint, and the
// advice that fits it), whether HTTPS and PVE's API answer there, then the credentials and the
// PVE version. `proxmox-mcp doctor` shows every step; the server runs the short form at start.

import { lookup } from "node:dns/promises";
import { isIP, type Socket, connect as tcpConnect } from "node:net";
import { checkServerIdentity, type PeerCertificate, connect as tlsConnect } from "node:tls";
import type { PveClient } from "./client.ts";
import { PveConnectionError, PveError } from "./errors.ts";

export type StepStatus = "ok" | "warn" | "fail" | "skip";

export interface Step {
  name: string;
  status: StepStatus;
  /** What was found; `\n` starts a new line. */
  detail: string;
  /** What to do, one line each. */
  advice?: string[];
}

export interface CheckTarget {
  /** https://host:port */
  origin: string;
  verifyTls: boolean;
  /** PEM text of the trusted CA (or certificate), and the file it came from, for messages. */
  ca?: string;
  caFile?: string;
  timeoutMs: number;
  /** The client with the configured credentials and TLS. */
  client: PveClient;
  /** The same credentials without certificate checks: to go on when only TLS failed. */
  insecureClient: () => PveClient;
}

export interface CheckOutcome {
  steps: Step[];
  /** The client that got through (for further checks), when authentication passed. */
  client?: PveClient;
  version?: { version: string; release?: string; repoid?: string };
}

const PVE_CA_ORG = "PVE Cluster Manager CA";

function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(what), { code: "ETIMEDOUT" })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function resolveHost(host: string, timeoutMs: number): Promise<Step & { address?: string }> {
  if (isIP(host))
    return { name: "dns", status: "ok", detail: `${host} is an IP address`, address: host };
  try {
    const found = await within(timeoutMs, lookup(host, { all: true }), "DNS lookup timed out");
    const addresses = found.map((a) => a.address);
    return {
      name: "dns",
      status: "ok",
      detail: `${host} → ${addresses.join(", ")}`,
      address: addresses[0],
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    return {
      name: "dns",
      status: "fail",
      detail: `cannot resolve ${host} (${code})`,
      advice: ["Check the name in --host (PROXMOX_HOST), or give the host's IP address."],
    };
  }
}

async function openPort(address: string, port: number, timeoutMs: number): Promise<Step> {
  const started = performance.now();
  try {
    await within(
      timeoutMs,
      new Promise<void>((resolve, reject) => {
        const socket: Socket = tcpConnect({ host: address, port }, () => {
          socket.destroy();
          resolve();
        });
        socket.once("error", reject);
      }),
      "no answer",
    );
    const ms = Math.round(performance.now() - started);
    return {
      name: "tcp",
      status: "ok",
      detail: `${address}:${port} accepts connections (${ms} ms)`,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    const where = `${address}:${port}`;
    if (code === "ECONNREFUSED") {
      return {
        name: "tcp",
        status: "fail",
        detail: `nothing listens on ${where} (connection refused)`,
        advice: [
          "PVE's API listens on port 8006 (--port, or HOST:PORT in --host); on the host, `systemctl status pveproxy` tells whether it runs.",
        ],
      };
    }
    if (code === "ETIMEDOUT") {
      return {
        name: "tcp",
        status: "fail",
        detail: `no answer from ${where} within ${timeoutMs / 1000} s`,
        advice: ["A firewall may drop the connection, or the address is wrong (--host, --port)."],
      };
    }
    return {
      name: "tcp",
      status: "fail",
      detail: `cannot connect to ${where} (${code || (error as Error).message})`,
      advice: ["Check the network path to the host, and --host and --port."],
    };
  }
}

/** Asks the port for HTTP in the clear: is it a plain-HTTP service rather than pveproxy? */
async function speaksPlainHttp(address: string, port: number, timeoutMs: number): Promise<boolean> {
  try {
    return await within(
      timeoutMs,
      new Promise<boolean>((resolve) => {
        const socket = tcpConnect({ host: address, port }, () => {
          socket.write(`GET /api2/json/version HTTP/1.0\r\nHost: ${address}\r\n\r\n`);
        });
        socket.once("data", (chunk) => {
          resolve(chunk.toString("latin1").startsWith("HTTP/"));
          socket.destroy();
        });
        socket.once("error", () => resolve(false));
        socket.once("end", () => resolve(false));
      }),
      "no answer",
    );
  } catch {
    return false;
  }
}

interface Handshake {
  cert?: PeerCertificate;
  authorized: boolean;
  reason?: string;
  error?: string;
}

function handshake(
  address: string,
  host: string,
  port: number,
  ca: string | undefined,
  timeoutMs: number,
): Promise<Handshake> {
  return within(
    timeoutMs,
    new Promise<Handshake>((resolve) => {
      const socket = tlsConnect(
        {
          host: address,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          rejectUnauthorized: false,
          ...(ca ? { ca } : {}),
        },
        () => {
          const cert = socket.getPeerCertificate();
          const reason = socket.authorizationError ? String(socket.authorizationError) : undefined;
          resolve({ cert, authorized: socket.authorized, ...(reason ? { reason } : {}) });
          socket.end();
        },
      );
      socket.once("error", (error: Error & { code?: string }) =>
        resolve({ authorized: false, error: error.code ?? error.message }),
      );
    }),
    "TLS handshake timed out",
  ).catch((error: Error) => ({ authorized: false, error: error.message }));
}

const names = (dn: Record<string, string | string[] | undefined> | undefined) =>
  Object.entries(dn ?? {})
    .filter(([k]) => ["CN", "O", "OU"].includes(k))
    .map(([k, v]) => `${k}=${[v ?? []].flat().join("+")}`)
    .join(", ");

const sameName = (a: PeerCertificate, b: PeerCertificate["issuer"]) =>
  JSON.stringify(a.subject) === JSON.stringify(b);

/** What to do about a certificate that does not verify, fitted to who issued it. */
export function tlsAdvice(
  cert: PeerCertificate,
  host: string,
  port: number,
  why: string,
): string[] {
  const advice: string[] = [];
  const issuerOrg = [cert.issuer?.O ?? []].flat().join(" ");
  if (/expired|not yet valid/i.test(why)) {
    advice.push(
      `The certificate is ${why}: renew it on the host (pvecm updatecerts --force renews PVE's own).`,
    );
  } else if (/names/.test(why)) {
    advice.push(
      `Connect by a name the certificate holds (${cert.subjectaltname ?? "none listed"}), or give the host a certificate for ${host}.`,
    );
  } else if (issuerOrg.includes(PVE_CA_ORG)) {
    advice.push(
      "The certificate is signed by the cluster's own CA. On a PVE node: --ca-file /etc/pve/pve-root-ca.pem",
      `Elsewhere, copy that file from the host and pass it: scp root@${host}:/etc/pve/pve-root-ca.pem ./pve-root-ca.pem, then --ca-file ./pve-root-ca.pem`,
    );
  } else if (sameName(cert, cert.issuer)) {
    advice.push(
      `The certificate is self-signed: trust it alone. Save it with openssl s_client -connect ${host}:${port} -showcerts </dev/null | openssl x509 > pve.pem, check that its SHA-256 fingerprint is the one above (on the host: pvenode cert info), then --ca-file pve.pem`,
      "Where the host serves PVE's own certificate, trust the cluster's CA instead: --ca-file /etc/pve/pve-root-ca.pem on a node, or a copy of that file elsewhere.",
    );
  } else {
    advice.push(
      `Pass the certificate of its issuer (${names(cert.issuer)}) with --ca-file, or add it to the system's trusted CAs.`,
    );
  }
  advice.push(
    "Or skip the check with --no-verify-ssl (then anyone in between could read the credentials).",
  );
  return advice;
}

function whyUntrusted(h: Handshake, cert: PeerCertificate, host: string): string | undefined {
  if (!h.authorized) {
    if (/EXPIRED/.test(h.reason ?? "")) return `expired (${cert.valid_to})`;
    if (/NOT_YET_VALID/.test(h.reason ?? "")) return `not yet valid (${cert.valid_from})`;
    return `not signed by a CA this machine trusts (${h.reason ?? "unverified"})`;
  }
  const identity = checkServerIdentity(host, cert);
  return identity ? `made for other names than ${host}` : undefined;
}

async function checkTls(
  target: CheckTarget,
  address: string,
  host: string,
  port: number,
): Promise<Step & { insecure?: boolean }> {
  const h = await handshake(address, host, port, target.ca, target.timeoutMs);
  if (!h.cert || Object.keys(h.cert).length === 0) {
    if (await speaksPlainHttp(address, port, target.timeoutMs)) {
      return {
        name: "tls",
        status: "fail",
        detail: `${address}:${port} speaks plain HTTP, not HTTPS`,
        advice: [
          "PVE's API is HTTPS on port 8006: check --port (and HOST:PORT in --host). Behind a proxy, give its https:// address.",
        ],
      };
    }
    return {
      name: "tls",
      status: "fail",
      detail: `no TLS handshake with ${address}:${port} (${h.error ?? "no certificate"})`,
      advice: ["Is this PVE's API port (8006)? Check --host and --port."],
    };
  }
  const cert = h.cert;
  const facts = [
    `subject ${names(cert.subject)}; issuer ${names(cert.issuer)}`,
    `valid until ${cert.valid_to}; SHA-256 fingerprint:`,
    cert.fingerprint256,
  ].join("\n");
  if (!target.verifyTls) {
    return {
      name: "tls",
      status: "warn",
      detail: `not verified (--no-verify-ssl)\n${facts}`,
      advice: tlsAdvice(cert, host, port, "not verified").slice(0, -1),
    };
  }
  const why = whyUntrusted(h, cert, host);
  if (why) {
    return {
      name: "tls",
      status: "fail",
      detail: `certificate ${why}\n${facts}`,
      advice: tlsAdvice(cert, host, port, why),
      insecure: true,
    };
  }
  const by = target.caFile
    ? `--ca-file ${target.caFile}`
    : target.ca
      ? "the pinned certificate"
      : "the system's CAs";
  return { name: "tls", status: "ok", detail: `verified with ${by}\n${facts}` };
}

async function checkApi(client: PveClient, origin: string, timeoutMs: number): Promise<Step> {
  try {
    const res = await fetch(`${origin}/api2/json/version`, {
      signal: AbortSignal.timeout(timeoutMs),
      tls: client.tls,
    });
    await res.arrayBuffer();
    const server = res.headers.get("server") ?? "";
    if (res.status === 401 || res.ok) {
      return {
        name: "api",
        status: "ok",
        detail: `${origin}/api2/json answers${server ? ` (${server})` : ""}`,
      };
    }
    return {
      name: "api",
      status: "fail",
      detail: `${origin}/api2/json/version answers HTTP ${res.status}${server ? ` from ${server}` : ""}: not PVE's API`,
      advice: ["Point --host at a PVE node (or a proxy passing /api2/json through)."],
    };
  } catch (error) {
    return {
      name: "api",
      status: "fail",
      detail: `no answer from ${origin}/api2/json (${(error as Error).message})`,
    };
  }
}

/** The credential settings to name when authentication fails, by kind. */
function authAdvice(kind: "token" | "ticket"): string[] {
  return kind === "token"
    ? [
        "Check the token: --user USER@REALM!TOKENID=SECRET (or --user, --token-name and --token-value, or PROXMOX_API_TOKEN). The secret is shown once when the token is made; `pveum user token list USER` lists the ids.",
      ]
    : [
        "Check --user (USER@REALM: root@pam, not root) and --password (PROXMOX_PASSWORD), or use an API token.",
      ];
}

async function checkAuth(
  client: PveClient,
): Promise<{ step: Step; version?: CheckOutcome["version"] }> {
  const who = `${client.auth.kind === "token" ? "token" : "user"} ${client.auth.identity}`;
  try {
    const version = await client.get<{ version: string; release?: string; repoid?: string }>(
      "/version",
    );
    return { step: { name: "auth", status: "ok", detail: `${who} accepted` }, version };
  } catch (error) {
    if (error instanceof PveError && (error.status === 401 || error.status === 403)) {
      return {
        step: {
          name: "auth",
          status: "fail",
          detail: `Proxmox refused ${who} (${error.status} ${error.reason})`,
          advice: authAdvice(client.auth.kind),
        },
      };
    }
    const hint =
      error instanceof PveConnectionError || error instanceof PveError ? error.hint : undefined;
    return {
      step: {
        name: "auth",
        status: "fail",
        detail: `${who}: ${(error as Error).message}`,
        ...(hint ? { advice: [hint] } : {}),
      },
    };
  }
}

function versionStep(version: NonNullable<CheckOutcome["version"]>): Step {
  const major = Number.parseInt(version.version, 10);
  const detail = `Proxmox VE ${version.version}${version.repoid ? ` (${version.repoid})` : ""}`;
  return major >= 8
    ? { name: "version", status: "ok", detail }
    : {
        name: "version",
        status: "warn",
        detail,
        advice: [
          "The tools are made for PVE 8 and 9; `proxmox-mcp tools --check-api` lists what this version lacks.",
        ],
      };
}

const skipped = (name: string, why: string): Step => ({ name, status: "skip", detail: why });

/** Every layer from the name to the credentials; a failed layer skips those that need it. */
export async function checkConnection(target: CheckTarget): Promise<CheckOutcome> {
  const url = new URL(target.origin);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const steps: Step[] = [];
  const dns = await resolveHost(host, target.timeoutMs);
  const { address, ...dnsStep } = dns;
  steps.push(dnsStep);
  if (!address) return { steps: [...steps, skipped("tcp", "no address")] };
  const tcp = await openPort(address, port, target.timeoutMs);
  steps.push(tcp);
  if (tcp.status === "fail") return { steps };
  let client = target.client;
  if (url.protocol === "https:") {
    const { insecure, ...tls } = await checkTls(target, address, host, port);
    steps.push(tls);
    if (tls.status === "fail" && !insecure) return { steps };
    // The certificate is the only problem: look past it, so the rest is known too.
    if (insecure) client = target.insecureClient();
  }
  const api = await checkApi(client, target.origin, target.timeoutMs);
  steps.push(api);
  if (api.status === "fail") return { steps };
  const { step, version } = await checkAuth(client);
  steps.push(step);
  if (!version) return { steps };
  steps.push(versionStep(version));
  return { steps, client, version };
}

/**
 * The start-up form: one GET /version. Undefined when it works, else what failed and what to
 * do, for a warning (the server starts anyway: the host may come back).
 */
export async function quickCheck(client: PveClient): Promise<string | undefined> {
  try {
    await client.get("/version"); // bounded by the client's own timeout (--timeout)
    return undefined;
  } catch (error) {
    const hint =
      error instanceof PveError && (error.status === 401 || error.status === 403)
        ? authAdvice(client.auth.kind)[0]
        : (error as { hint?: string }).hint;
    return `${(error as Error).message}${hint ? `. ${hint}` : ""}`;
  }
}

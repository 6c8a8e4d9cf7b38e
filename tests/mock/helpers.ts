// Plain-fetch helpers for talking to the mock over real HTTP (not through the project's client).
import { afterEach, beforeEach } from "bun:test";
import { type MockOptions, type MockServer, startMock } from "../../src/mock/index.ts";

export interface Answer {
  status: number;
  reason: string;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  json: any;
  headers: Headers;
}

export interface Session {
  mock: MockServer;
  ticket: string;
  csrf: string;
  /** Request with ticket + CSRF (root@pam unless a session of another user). */
  call(
    method: string,
    path: string,
    params?: Record<string, string | number | string[]>,
  ): Promise<Answer>;
}

export async function startTestMock(options: MockOptions = {}): Promise<MockServer> {
  return startMock({ tls: false, taskDurationMs: 120, ...options });
}

/** A fresh cluster and a root@pam session for every test of the file (read them inside tests). */
export function freshCluster(options: MockOptions = {}): { mock: MockServer; root: Session } {
  const current = {} as { mock: MockServer; root: Session };
  beforeEach(async () => {
    current.mock = await startTestMock(options);
    current.root = await login(current.mock);
  });
  afterEach(() => current.mock.stop());
  return current;
}

export async function raw(
  mock: MockServer,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string; query?: string } = {},
): Promise<Answer> {
  const url = `${mock.url}/api2/json${path}${init.query ? `?${init.query}` : ""}`;
  const res = await fetch(url, { method, headers: init.headers, body: init.body });
  const body = await res.text();
  let json: unknown;
  try {
    json = body === "" ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, reason: res.statusText, body, json, headers: res.headers };
}

export function form(params: Record<string, string | number | string[]>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) out.append(k, String(item));
  }
  return out.toString();
}

export async function login(
  mock: MockServer,
  user = "root@pam",
  password = "demo-password",
): Promise<Session> {
  const res = await raw(mock, "POST", "/access/ticket", {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: form({ username: user, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.reason}`);
  const { ticket, CSRFPreventionToken: csrf } = res.json.data;
  return {
    mock,
    ticket,
    csrf,
    call: (method, path, params = {}) => {
      const headers: Record<string, string> = {
        Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}`,
      };
      if (method !== "GET") headers.CSRFPreventionToken = csrf;
      const encoded = form(params);
      if (method === "GET" || method === "DELETE")
        return raw(mock, method, path, { headers, query: encoded });
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      return raw(mock, method, path, { headers, body: encoded });
    },
  };
}

/** Polls a task until it stops; returns its final status. The bound is for a loaded machine. */
// biome-ignore lint/suspicious/noExplicitAny: task status JSON
export async function waitTask(s: Session, upid: string, timeoutMs = 20_000): Promise<any> {
  const node = upid.split(":")[1] as string;
  const path = `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await s.call("GET", path);
    if (res.json?.data?.status === "stopped") return res.json.data;
    await Bun.sleep(20);
  }
  throw new Error(`task ${upid} did not end`);
}

export async function taskLog(s: Session, upid: string): Promise<string[]> {
  const node = upid.split(":")[1] as string;
  const res = await s.call("GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, {
    limit: 0,
  });
  return res.json.data.map((l: { t: string }) => l.t);
}

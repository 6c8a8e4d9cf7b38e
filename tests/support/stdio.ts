// Talks raw JSON-RPC to a server process over stdio: for what a real SDK client will not send
// (an old protocolVersion) and to see exactly what goes to stdout.

export interface StdioSession {
  /** Every line the process wrote to stdout, parsed. */
  messages: Record<string, unknown>[];
  stderr: string;
}

export async function exchange(
  cmd: string[],
  requests: Record<string, unknown>[],
  /** The id of the answer to wait for, or what must have arrived. */
  waitFor: number | ((messages: Record<string, unknown>[]) => boolean),
  timeoutMs = 20_000,
  env?: Record<string, string>,
): Promise<StdioSession> {
  const done =
    typeof waitFor === "number"
      ? (messages: Record<string, unknown>[]) => messages.some((m) => m.id === waitFor)
      : waitFor;
  const proc = Bun.spawn(cmd, {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    ...(env ? { env } : {}),
  });
  proc.stdin.write(`${requests.map((r) => JSON.stringify(r)).join("\n")}\n`);
  proc.stdin.flush();
  const messages: Record<string, unknown>[] = [];
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of proc.stdout) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    // Anything on stdout that is not JSON-RPC would break a real client: JSON.parse throws here.
    for (const line of lines) if (line.trim()) messages.push(JSON.parse(line));
    if (done(messages)) break;
  }
  clearTimeout(timer);
  proc.stdin.end();
  proc.kill();
  await proc.exited;
  return { messages, stderr: await new Response(proc.stderr).text() };
}

export const initialize = (protocolVersion: string) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion, capabilities: {}, clientInfo: { name: "e2e", version: "1" } },
});

export const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };

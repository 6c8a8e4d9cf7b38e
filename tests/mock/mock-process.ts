// `proxmox-mcp mock` as its own process, the way a foreign client meets it: started on a free
// port, its address read from the first line it prints, stopped with SIGTERM.
import { join } from "node:path";

export interface MockProcess {
  /** e.g. http://127.0.0.1:40123 (no /api2/json). */
  url: string;
  host: string;
  port: number;
  /** What it printed at start: address, credentials and how to connect the MCP server. */
  printed: string;
  stop(): Promise<void>;
}

const MAIN = join(import.meta.dir, "../../src/main.ts");

export async function startMockProcess(args: string[] = []): Promise<MockProcess> {
  const proc = Bun.spawn([process.execPath, MAIN, "mock", "--port", "0", ...args], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("Ctrl-C stops it.")) {
    const { value, done } = await reader.read();
    if (done) {
      const err = await new Response(proc.stderr).text();
      throw new Error(`proxmox-mcp mock ended before listening: ${text}${err}`);
    }
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const url = /listening on (\S+)\/api2\/json/.exec(text)?.[1] as string;
  const { hostname, port } = new URL(url);
  return {
    url,
    host: hostname,
    port: Number(port),
    printed: text,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

// `bun run screenshots`: pictures of the MCP Apps views for the README, taken in chromium
// through the same host and simulated cluster as the browser tests (tests/ui/support). Writes
// docs/cluster-view.png and docs/guest-view.png, and a -dark twin of each.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startViewHost } from "../tests/ui/support/view-host.ts";

const docs = join(import.meta.dir, "..", "docs");
const WIDTH = 1100;

const SHOTS = [
  { file: "cluster-view", tool: "show_cluster", args: {} },
  { file: "guest-view", tool: "show_guest", args: { vmid: 100 } },
] as const;

if (import.meta.main) {
  mkdirSync(docs, { recursive: true });
  // A host that runs nothing destructive: these pictures only look.
  const host = await startViewHost({ confirm: true });
  try {
    // A snapshot tree worth showing, and a task that is still running.
    const c = host.mock.credentials;
    const api = (path: string, body: Record<string, string>) =>
      fetch(`${host.mock.url}/api2/json${path}`, {
        method: "POST",
        headers: { Authorization: `PVEAPIToken=${c.tokenId}=${c.tokenSecret}` },
        body: new URLSearchParams(body),
      });
    await api("/nodes/pve1/qemu/100/snapshot", {
      snapname: "before-upgrade",
      description: "Debian 12 before the upgrade",
    });
    await Bun.sleep(200);
    await api("/nodes/pve1/qemu/100/snapshot", { snapname: "upgraded", description: "Debian 13" });
    await Bun.sleep(200);
    for (const theme of ["light", "dark"] as const) {
      for (const shot of SHOTS) {
        const { page, view, errors } = await host.open({
          tool: shot.tool,
          args: shot.args,
          theme,
          width: WIDTH,
          height: 1400, // taller than the views: what lies below the window is not painted
        });
        await view.waitForSelector(
          shot.tool === "show_cluster" ? ".g-row[data-vmid]" : ".guest-panel",
        );
        // Let the sparklines arrive and the host size the frame to the view.
        await page.waitForTimeout(800);
        const file = join(docs, `${shot.file}${theme === "dark" ? "-dark" : ""}.png`);
        await page.locator("iframe").screenshot({ path: file });
        if (errors.length > 0) throw new Error(`${shot.tool} (${theme}): ${errors.join("\n")}`);
        console.error(`wrote ${file}`);
        await page.close();
      }
    }
  } finally {
    await host.close();
  }
}

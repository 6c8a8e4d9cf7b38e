// The MCP Apps views: how big each built view is (it travels in a resources/read to every host
// that shows it), and how long a view takes to its first picture of a 1,000-guest cluster,
// measured in chromium: from the start of the view's document to the first frame with data,
// through the test host (AppBridge), our HTTP server and the simulated cluster.

import { gzipSync } from "node:zlib";
import { VIEWS, type ViewName } from "../../src/ui/build.ts";
import { browserMissing, startViewHost } from "../../tests/ui/support/view-host.ts";
import type { Row } from "../bench.ts";
import { median } from "./stdio-probe.ts";

const GUESTS = 1000;
const RUNS = 7;

const SHOWN: Record<ViewName, { tool: string; args: Record<string, unknown> }> = {
  cluster: { tool: "show_cluster", args: {} },
  guest: { tool: "show_guest", args: { vmid: 100 } },
};

export async function uiSection(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of Object.keys(VIEWS) as ViewName[]) {
    const html = await Bun.file(`${import.meta.dir}/../../src/ui/generated/${name}.html`).bytes();
    rows.push({
      section: "ui",
      measure: `${name} view, size`,
      value: `${(html.length / 1024).toFixed(1)} KiB`,
      note: `${(gzipSync(html).length / 1024).toFixed(1)} KiB gzipped; limit 300 KiB`,
    });
  }
  const missing = browserMissing();
  if (missing) {
    rows.push({ section: "ui", measure: "time to first render", value: "–", note: missing });
    return rows;
  }
  const host = await startViewHost({ mock: { guests: GUESTS } });
  try {
    for (const name of Object.keys(VIEWS) as ViewName[]) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { page, view, errors } = await host.open(SHOWN[name]);
        await view.waitForSelector("body[data-ready]");
        times.push(
          await view.evaluate(
            () => performance.getEntriesByName("proxmox:first-render")[0]?.startTime ?? Number.NaN,
          ),
        );
        if (errors.length > 0) throw new Error(`${name} view: ${errors.join("\n")}`);
        await page.close();
      }
      rows.push({
        section: "ui",
        measure: `${name} view, time to first render, ${GUESTS} guests`,
        value: `${median(times).toFixed(0)} ms`,
        note: `median of ${RUNS} in chromium; goal ≤ 1000 ms`,
      });
    }
  } finally {
    await host.close();
  }
  return rows;
}

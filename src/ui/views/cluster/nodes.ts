// One card per node: online or not, CPU, memory and root disk as bars, uptime.

import type { ViewNode } from "../../../tools/view-schemas.ts";
import { usageBar } from "../shared/charts.ts";
import { h } from "../shared/dom.ts";
import { bytes, duration } from "../shared/format.ts";

export function nodeCards(nodes: ViewNode[]): HTMLElement {
  return h(
    "section",
    { class: "nodes", "aria-label": "Nodes" },
    nodes.map((n) => {
      const online = n.status === "online";
      return h(
        "article",
        { class: `card node ${online ? "" : "offline"}`, "data-node": n.node },
        h(
          "div",
          { class: "card-head" },
          h("span", {
            class: `dot status-${online ? "running" : "stopped"}`,
            "aria-hidden": "true",
          }),
          h("h3", {}, n.node),
          h("span", { class: "muted" }, online ? `up ${duration(n.uptime)}` : n.status),
        ),
        online
          ? [
              usageBar(
                "CPU",
                n.cpu,
                n.cpu === undefined ? undefined : 1,
                `${n.maxcpu ?? "?"} CPUs`,
              ),
              usageBar("Memory", n.mem, n.maxmem, `${bytes(n.mem)} of ${bytes(n.maxmem)}`),
              usageBar("Root disk", n.disk, n.maxdisk, `${bytes(n.disk)} of ${bytes(n.maxdisk)}`),
            ]
          : h("p", { class: "muted" }, "No data: the node does not answer."),
      );
    }),
  );
}

// One guest, drawn from view_guest's data: header with status and actions, usage now, RRD
// charts over hour/day/week, config, disks, NICs, snapshot tree and recent tasks with their logs.
// The guest view shows it alone; the cluster view shows it when a guest's row is opened.

import type { GuestViewData } from "../../../tools/view-schemas.ts";
import { type Actions, actionButtons } from "../shared/actions.ts";
import { lineChart, usageBar } from "../shared/charts.ts";
import { h } from "../shared/dom.ts";
import { bytes, duration, guestLabel, percent, rate, when } from "../shared/format.ts";
import { icon } from "../shared/icons.ts";
import { snapshotTree } from "./snapshots.ts";
import { taskList } from "./tasks.ts";

export interface PanelHooks {
  actions: Actions;
  /** Reads a task's log (view_task_log). */
  readLog(upid: string): Promise<string[]>;
  /** Loads the guest again with RRD series over another time frame. */
  timeframe(tf: GuestViewData["timeframe"]): void;
  /** In the cluster view: back to the cluster. */
  back?: () => void;
}

export function guestPanel(d: GuestViewData, hooks: PanelHooks): HTMLElement {
  const g = d.guest;
  const badges = [
    h("span", { class: `badge status-${g.status}` }, g.status),
    h("span", { class: "badge" }, g.node),
    g.uptime ? h("span", { class: "badge" }, `up ${duration(g.uptime)}`) : null,
    g.hastate ? h("span", { class: "badge" }, `HA ${g.hastate}`) : null,
    g.lock ? h("span", { class: "badge warn" }, `locked: ${g.lock}`) : null,
    g.template ? h("span", { class: "badge" }, "template") : null,
    ...g.tags.map((t) => h("span", { class: "tag" }, t)),
  ];
  return h(
    "section",
    { class: "guest-panel", "data-vmid": g.vmid },
    h(
      "header",
      { class: "panel-head" },
      hooks.back
        ? h(
            "button",
            {
              type: "button",
              class: "icon-button back",
              title: "Back to the cluster",
              "aria-label": "Back to the cluster",
              onclick: hooks.back,
            },
            icon("back"),
          )
        : null,
      h("span", { class: `dot status-${g.status}`, "aria-hidden": "true" }),
      h("h2", {}, guestLabel(g)),
      h("div", { class: "badges" }, badges),
      actionButtons(g, d.actions, hooks.actions.run),
    ),
    h(
      "div",
      { class: "now" },
      usageBar(
        "CPU",
        g.status === "running" ? g.cpu : undefined,
        g.status === "running" ? 1 : undefined,
        `${g.maxcpu ?? "?"} vCPU`,
      ),
      usageBar(
        "Memory",
        g.status === "running" ? g.mem : undefined,
        g.maxmem,
        `${g.status === "running" ? `${bytes(g.mem)} of ` : ""}${bytes(g.maxmem)}`,
      ),
    ),
    charts(d, hooks),
    h(
      "div",
      { class: "columns" },
      card(
        "Configuration",
        h(
          "dl",
          { class: "facts" },
          d.config.map((c) => [h("dt", {}, c.label), h("dd", {}, c.value)]),
        ),
      ),
      card("Snapshots", snapshotTree(d)),
    ),
    h(
      "div",
      { class: "columns" },
      card(
        "Disks",
        table(
          ["Disk", "Volume", "Size", ""],
          d.disks.map((k) => [k.key, k.volume, k.size ?? "", k.media ?? ""]),
        ),
      ),
      card(
        "Network",
        table(
          ["NIC", "Model", "MAC", "Bridge", "VLAN", "Firewall", "IP"],
          d.nics.map((n) => [
            n.key,
            n.model ?? "",
            n.mac ?? "",
            n.bridge ?? "",
            n.vlan ?? "",
            n.firewall ? "on" : "off",
            n.ip ?? "",
          ]),
        ),
      ),
    ),
    card("Recent tasks", taskList(d.tasks, hooks.readLog)),
  );
}

function charts(d: GuestViewData, hooks: PanelHooks): HTMLElement {
  const times = d.rrd.map((p) => p.time);
  const at = (t: number) => (d.timeframe === "hour" ? (when(t).split(", ").pop() ?? "") : when(t));
  const pick = (key: keyof (typeof d.rrd)[number]) => d.rrd.map((p) => p[key]);
  const frames = (["hour", "day", "week"] as const).map((tf) =>
    h(
      "button",
      {
        type: "button",
        class: tf === d.timeframe ? "segment active" : "segment",
        "aria-pressed": tf === d.timeframe ? "true" : "false",
        onclick: () => hooks.timeframe(tf),
      },
      tf[0]?.toUpperCase() + tf.slice(1),
    ),
  );
  return h(
    "div",
    { class: "card charts-card" },
    h(
      "div",
      { class: "card-head" },
      h("h3", {}, "History"),
      h("div", { class: "segments" }, frames),
    ),
    h(
      "div",
      { class: "charts" },
      lineChart(
        "CPU",
        times,
        [{ name: "CPU", className: "s1", values: pick("cpu") }],
        (v) => percent(v, 1),
        at,
      ),
      lineChart(
        "Memory",
        times,
        [{ name: "used", className: "s1", values: pick("mem") }],
        bytes,
        at,
        d.rrd.find((p) => p.maxmem)?.maxmem,
      ),
      lineChart(
        "Network",
        times,
        [
          { name: "in", className: "s1", values: pick("netin") },
          { name: "out", className: "s2", values: pick("netout") },
        ],
        rate,
        at,
      ),
      lineChart(
        "Disk I/O",
        times,
        [
          { name: "read", className: "s1", values: pick("diskread") },
          { name: "write", className: "s2", values: pick("diskwrite") },
        ],
        rate,
        at,
      ),
    ),
  );
}

export function card(title: string, body: HTMLElement): HTMLElement {
  return h("div", { class: "card" }, h("div", { class: "card-head" }, h("h3", {}, title)), body);
}

function table(head: string[], rows: string[][]): HTMLElement {
  if (rows.length === 0) return h("p", { class: "muted" }, "none");
  return h(
    "table",
    { class: "simple" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        head.map((c) => h("th", {}, c)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {},
          r.map((c) => h("td", {}, c)),
        ),
      ),
    ),
  );
}

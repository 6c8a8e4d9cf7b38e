// The guests of a cluster of any size: a virtualised table (only the rows on screen exist in the
// page, so 10,000 guests draw as fast as 10), a filter box, sorting by any column, CPU and memory
// sparklines fetched for the rows on screen only, and the actions of each guest.

import type { GuestTrends, ViewGuest } from "../../../tools/view-schemas.ts";
import { type Action, actionButtons, type Target } from "../shared/actions.ts";
import { sparkline } from "../shared/charts.ts";
import { h } from "../shared/dom.ts";
import { bytes, duration, percent, ratio } from "../shared/format.ts";

const ROW_HEIGHT = 36;
const OVERSCAN = 6;
const TRENDS_TTL_MS = 60_000;
const TRENDS_BATCH = 50;

type Trend = GuestTrends["trends"][number];
type SortKey = "vmid" | "name" | "type" | "node" | "status" | "cpu" | "mem" | "uptime" | "hastate";

const COLUMNS: { key: SortKey | null; label: string; className: string }[] = [
  { key: "status", label: "", className: "c-dot" },
  { key: "vmid", label: "ID", className: "c-id" },
  { key: "name", label: "Name", className: "c-name" },
  { key: "type", label: "Type", className: "c-type" },
  { key: "node", label: "Node", className: "c-node" },
  { key: "cpu", label: "CPU", className: "c-cpu" },
  { key: "mem", label: "Memory", className: "c-mem" },
  { key: "uptime", label: "Uptime", className: "c-up" },
  { key: null, label: "Tags", className: "c-tags" },
  { key: "hastate", label: "HA", className: "c-ha" },
  { key: null, label: "Actions", className: "c-act" },
];

const cpuOf = (g: ViewGuest) => (g.status === "running" ? (g.cpu ?? 0) : -1);
const memOf = (g: ViewGuest) => (g.status === "running" ? (ratio(g.mem, g.maxmem) ?? 0) : -1);

const SORTERS: Record<SortKey, (a: ViewGuest, b: ViewGuest) => number> = {
  vmid: (a, b) => a.vmid - b.vmid,
  name: (a, b) => (a.name ?? "").localeCompare(b.name ?? "", "en", { numeric: true }),
  type: (a, b) => a.type.localeCompare(b.type),
  node: (a, b) => a.node.localeCompare(b.node, "en", { numeric: true }),
  status: (a, b) => a.status.localeCompare(b.status),
  cpu: (a, b) => cpuOf(a) - cpuOf(b),
  mem: (a, b) => memOf(a) - memOf(b),
  uptime: (a, b) => (a.uptime ?? 0) - (b.uptime ?? 0),
  hastate: (a, b) => (a.hastate ?? "").localeCompare(b.hastate ?? ""),
};

export interface GuestTableHooks {
  open(vmid: number): void;
  run(action: Action, target: Target): void;
  trends(vmids: number[]): Promise<Trend[]>;
}

export class GuestTable {
  readonly el: HTMLElement;
  #guests: ViewGuest[] = [];
  #shown: ViewGuest[] = [];
  #actions: string[] = [];
  #filter = "";
  #sort: { key: SortKey; dir: 1 | -1 } = { key: "vmid", dir: 1 };
  readonly #trends = new Map<number, Trend & { at: number }>();
  readonly #viewport: HTMLElement;
  readonly #spacer: HTMLElement;
  readonly #count: HTMLElement;
  readonly #head: HTMLElement;
  #frame = 0;
  #trendTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly hooks: GuestTableHooks) {
    const filter = h("input", {
      type: "search",
      class: "filter",
      placeholder: "Filter: name, id, node, tag, status…",
      "aria-label": "Filter guests",
      oninput: (e: Event) => {
        this.#filter = (e.target as HTMLInputElement).value.trim().toLowerCase();
        this.#apply();
      },
    });
    this.#count = h("span", { class: "muted count" });
    this.#head = h("div", { class: "g-row g-head", role: "row" });
    this.#spacer = h("div", { class: "g-body", role: "rowgroup" });
    this.#viewport = h(
      "div",
      { class: "g-viewport", onscroll: () => this.#schedule() },
      this.#spacer,
    );
    this.el = h(
      "section",
      { class: "card guests" },
      h("div", { class: "card-head" }, h("h3", {}, "Guests"), this.#count, filter),
      h(
        "div",
        { class: "g-table", role: "table", "aria-label": "Guests" },
        this.#head,
        this.#viewport,
      ),
    );
    this.#drawHead();
  }

  update(guests: ViewGuest[], actions: string[]): void {
    this.#guests = guests;
    this.#actions = actions;
    this.#apply();
  }

  /** Filter and sort again, keep the scroll position, redraw. */
  #apply(): void {
    const words = this.#filter.split(/\s+/).filter(Boolean);
    const text = (g: ViewGuest) =>
      `${g.vmid} ${g.name ?? ""} ${g.node} ${g.status} ${g.type === "lxc" ? "ct lxc container" : "vm qemu"} ${g.tags.join(" ")} ${g.hastate ?? ""} ${g.pool ?? ""} ${g.template ? "template" : ""}`.toLowerCase();
    const { key, dir } = this.#sort;
    this.#shown = this.#guests
      .filter((g) => words.every((w) => text(g).includes(w)))
      .sort((a, b) => SORTERS[key](a, b) * dir || a.vmid - b.vmid);
    this.#count.textContent =
      this.#shown.length === this.#guests.length
        ? `${this.#guests.length} guests`
        : `${this.#shown.length} of ${this.#guests.length} guests`;
    this.#spacer.style.height = `${this.#shown.length * ROW_HEIGHT}px`;
    this.#draw();
  }

  #drawHead(): void {
    this.#head.replaceChildren(
      ...COLUMNS.map((c) => {
        if (!c.key)
          return h("div", { class: `g-cell ${c.className}`, role: "columnheader" }, c.label);
        const key = c.key;
        const active = this.#sort.key === key;
        return h(
          "div",
          {
            class: `g-cell ${c.className}`,
            role: "columnheader",
            "aria-sort": active ? (this.#sort.dir === 1 ? "ascending" : "descending") : "none",
          },
          h(
            "button",
            {
              type: "button",
              class: "sort",
              title: `Sort by ${c.label || "status"}`,
              "aria-label": `Sort by ${c.label || "status"}`,
              onclick: () => {
                this.#sort = { key, dir: active ? (-this.#sort.dir as 1 | -1) : 1 };
                this.#drawHead();
                this.#apply();
              },
            },
            c.label || "●",
            active ? (this.#sort.dir === 1 ? " ▲" : " ▼") : "",
          ),
        );
      }),
    );
  }

  #schedule(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => this.#draw());
  }

  /** Draws the rows in view (and a few around them), and asks for their trends. */
  #draw(): void {
    const top = this.#viewport.scrollTop;
    const height = this.#viewport.clientHeight || 440;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.#shown.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const g = this.#shown[i];
      if (g) rows.push(this.#row(g, i));
    }
    this.#spacer.replaceChildren(...rows);
    if (this.#shown.length === 0) {
      this.#spacer.append(h("div", { class: "g-empty muted" }, "No guest matches the filter."));
    }
    this.#wantTrends(this.#shown.slice(first, last));
  }

  #row(g: ViewGuest, index: number): HTMLElement {
    const running = g.status === "running";
    const trend = this.#trends.get(g.vmid);
    const mem = ratio(g.mem, g.maxmem);
    const cells = [
      h("span", { class: `dot status-${g.status}`, title: g.status }),
      String(g.vmid),
      h(
        "span",
        { class: "name" },
        g.name ?? "",
        g.lock ? h("span", { class: "badge warn" }, g.lock) : null,
      ),
      g.type === "lxc" ? "CT" : "VM",
      g.node,
      running
        ? [sparkline(trend?.cpu ?? []), h("span", {}, percent(g.cpu))]
        : h("span", { class: "muted" }, g.template ? "template" : g.status),
      running
        ? [sparkline(trend?.mem ?? []), h("span", {}, `${percent(mem)} · ${bytes(g.mem)}`)]
        : h("span", { class: "muted" }, bytes(g.maxmem)),
      running ? duration(g.uptime) : "",
      g.tags.map((t) => h("span", { class: "tag" }, t)),
      g.hastate ?? "",
      actionButtons(g, this.#actions, this.hooks.run),
    ];
    return h(
      "div",
      {
        class: "g-row",
        role: "row",
        tabindex: 0,
        "data-vmid": g.vmid,
        "data-status": g.status,
        style: `transform:translateY(${index * ROW_HEIGHT}px)`,
        title: `Open ${g.type === "lxc" ? "CT" : "VM"} ${g.vmid}`,
        onclick: () => this.hooks.open(g.vmid),
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key === "Enter") this.hooks.open(g.vmid);
        },
      },
      cells.map((content, i) =>
        h("div", { class: `g-cell ${COLUMNS[i]?.className ?? ""}`, role: "cell" }, content),
      ),
    );
  }

  /** Trends for the running guests on screen that have none or old ones, in one call. */
  #wantTrends(visible: ViewGuest[]): void {
    const now = Date.now();
    const stale = visible
      .filter(
        (g) => g.status === "running" && now - (this.#trends.get(g.vmid)?.at ?? 0) > TRENDS_TTL_MS,
      )
      .map((g) => g.vmid)
      .slice(0, TRENDS_BATCH);
    if (stale.length === 0) return;
    clearTimeout(this.#trendTimer);
    this.#trendTimer = setTimeout(async () => {
      // Marked as fetched first: a failing call is not repeated on every scroll.
      for (const vmid of stale) this.#trends.set(vmid, { vmid, cpu: [], mem: [], at: now });
      const trends = await this.hooks.trends(stale).catch(() => [] as Trend[]);
      for (const t of trends) this.#trends.set(t.vmid, { ...t, at: Date.now() });
      if (trends.length > 0) this.#draw();
    }, 150);
  }
}

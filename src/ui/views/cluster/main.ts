// The cluster view (ui://proxmox/cluster), shown with show_cluster's result: nodes, storages,
// recent tasks and every guest, read with view_cluster and refreshed while the view is open. A
// guest's row opens that guest in place; its buttons act through the host like the model would.

import type { ClusterViewData, GuestTrends, TaskLogData } from "../../../tools/view-schemas.ts";
import { GuestLoader } from "../guest/loader.ts";
import { card } from "../guest/panel.ts";
import { taskList } from "../guest/tasks.ts";
import { Actions } from "../shared/actions.ts";
import { h } from "../shared/dom.ts";
import { clock } from "../shared/format.ts";
import { type App, connect, read } from "../shared/host.ts";
import { icon } from "../shared/icons.ts";
import { Notice } from "../shared/notice.ts";
import { startRefresh } from "../shared/refresh.ts";
import { GuestTable } from "./guest-table.ts";
import { nodeCards } from "./nodes.ts";
import { storageList } from "./storages.ts";

const REFRESH_MS = 15_000;

const notice = new Notice();
const title = h("h1", {}, "Proxmox VE");
const stats = h("span", { class: "muted stats" });
const updated = h("span", { class: "muted updated" });
const overview = h(
  "div",
  { class: "overview" },
  h("p", { class: "muted loading" }, "Reading the cluster…"),
);
const detail = h("div", { class: "detail", hidden: true });
const nodesSlot = h("div");
const columnsSlot = h("div", { class: "columns" });
const refreshButton = h(
  "button",
  { type: "button", class: "icon-button", title: "Refresh now", "aria-label": "Refresh now" },
  icon("refresh"),
);
const autoButton = h("button", { type: "button", class: "icon-button", "aria-pressed": "true" });
document.body.append(
  h(
    "main",
    { class: "view cluster-view" },
    h(
      "header",
      { class: "top" },
      title,
      stats,
      h("span", { class: "spacer" }),
      updated,
      autoButton,
      refreshButton,
    ),
    notice.el,
    overview,
    detail,
  ),
);

async function start(): Promise<void> {
  const app = await connect("Proxmox cluster view", () => {}, {
    availableDisplayModes: ["inline", "fullscreen"],
  });
  let table: GuestTable | undefined;
  let guest: GuestLoader | undefined;
  const actions = new Actions(app, notice, () => void refresh());

  const showOverview = () => {
    guest?.close();
    detail.hidden = true;
    overview.hidden = false;
  };
  guest = new GuestLoader(app, () => actions, detail, showOverview);
  const openGuest = (vmid: number) => {
    overview.hidden = true;
    detail.hidden = false;
    void guest?.open(vmid);
  };

  const draw = (d: ClusterViewData) => {
    const online = d.nodes.filter((n) => n.status === "online").length;
    const guests = d.guests.filter((g) => !g.template);
    const running = guests.filter((g) => g.status === "running").length;
    title.replaceChildren(
      d.cluster.name ? `Cluster ${d.cluster.name}` : "Proxmox VE",
      d.cluster.quorate === undefined
        ? ""
        : h(
            "span",
            { class: `badge ${d.cluster.quorate ? "ok" : "danger"}` },
            d.cluster.quorate ? "quorate" : "no quorum",
          ),
    );
    stats.textContent = `${online}/${d.nodes.length} nodes online · ${running} of ${guests.length} guests running`;
    updated.textContent = `updated ${clock(new Date(d.time))}`;
    table ??= new GuestTable({
      open: openGuest,
      run: actions.run,
      trends: async (vmids) => (await read<GuestTrends>(app, "view_trends", { vmids })).trends,
    });
    const readLog = async (upid: string) =>
      (await read<TaskLogData>(app, "view_task_log", { upid })).lines;
    // Drawn into the same places each time: the table keeps its scroll, filter and focus.
    if (!table.el.isConnected) overview.replaceChildren(nodesSlot, columnsSlot, table.el);
    nodesSlot.replaceChildren(nodeCards(d.nodes));
    columnsSlot.replaceChildren(
      card("Storage", storageList(d.storages)),
      card("Recent tasks", taskList(d.tasks, readLog)),
    );
    table.update(d.guests, d.actions);
  };

  let readFailed = false;
  const refresh = async () => {
    try {
      draw(await read<ClusterViewData>(app, "view_cluster"));
      if (readFailed) notice.hide(); // the cluster answers again
      readFailed = false;
      if (!detail.hidden) await guest?.refresh();
    } catch (error) {
      readFailed = true;
      failed(error as Error, refresh);
    }
  };

  refreshButton.addEventListener("click", () => void refresh());
  fullScreen(app);
  await refresh();
  // For `bun run bench`: when the cluster was first on screen (the next frame, after style and
  // layout), in the view's own timeline.
  await new Promise((done) => requestAnimationFrame(done));
  performance.mark("proxmox:first-render");
  document.body.dataset.ready = "true";
  const auto = startRefresh(REFRESH_MS, refresh);
  const showAuto = () => {
    autoButton.replaceChildren(icon(auto.paused ? "play" : "pause"));
    const label = auto.paused ? "Resume auto-refresh" : "Pause auto-refresh";
    autoButton.title = label;
    autoButton.setAttribute("aria-label", label);
    autoButton.setAttribute("aria-pressed", String(!auto.paused));
  };
  autoButton.addEventListener("click", () => {
    auto.paused = !auto.paused;
    showAuto();
  });
  showAuto();
}

/** A full-screen switch, when the host offers that display mode. */
function fullScreen(app: App): void {
  const modes = app.getHostContext()?.availableDisplayModes ?? [];
  if (!modes.includes("fullscreen")) return;
  let mode = app.getHostContext()?.displayMode ?? "inline";
  const button = h("button", {
    type: "button",
    class: "icon-button",
    onclick: async () => {
      const wanted = mode === "fullscreen" ? "inline" : "fullscreen";
      mode = (await app.requestDisplayMode({ mode: wanted }).catch(() => ({ mode }))).mode;
      show();
    },
  });
  const show = () => {
    const label = mode === "fullscreen" ? "Leave full screen" : "Full screen";
    button.replaceChildren(icon(mode === "fullscreen" ? "shrink" : "expand"));
    button.title = label;
    button.setAttribute("aria-label", label);
  };
  show();
  refreshButton.after(button);
}

function failed(error: Error, retry: () => Promise<void>): void {
  notice.show("error", "The cluster could not be read", error.message);
  if (nodesSlot.isConnected) return; // keep the last good picture
  overview.replaceChildren(
    h(
      "div",
      { class: "card error-card" },
      h("strong", {}, "No data yet"),
      h("p", {}, error.message),
      h("button", { type: "button", onclick: () => void retry() }, "Try again"),
    ),
  );
}

void start();

// The guest view (ui://proxmox/guest), shown with show_guest's result: the guest named in the
// tool's arguments, kept current while the view is open.

import { Actions } from "../shared/actions.ts";
import { h } from "../shared/dom.ts";
import { connect } from "../shared/host.ts";
import { Notice } from "../shared/notice.ts";
import { startRefresh } from "../shared/refresh.ts";
import { GuestLoader } from "./loader.ts";

const REFRESH_MS = 20_000;

const notice = new Notice();
const main = h("main", { class: "view guest-view" }, notice.el);
document.body.append(main);

let loader: GuestLoader | undefined;
let pending: number | undefined;
const show = (vmid: unknown) => {
  const id = Number(vmid);
  if (!Number.isInteger(id)) return;
  if (loader) void loader.open(id);
  else pending = id;
};

async function start(): Promise<void> {
  const app = await connect("Proxmox guest view", (a) => {
    a.ontoolinput = ({ arguments: args }) => show(args?.vmid);
    // A host that sent no input still sends the result, which names the guest too.
    a.ontoolresult = (r) => {
      if (loader?.vmid === undefined) show((r.structuredContent as { vmid?: number })?.vmid);
    };
  });
  const actions = new Actions(app, notice, () => void loader?.refresh());
  loader = new GuestLoader(app, () => actions, h("div"));
  main.append(loader.el);
  if (pending !== undefined) void loader.open(pending);
  else loader.el.append(h("p", { class: "muted loading" }, "Waiting for the guest…"));
  startRefresh(REFRESH_MS, () => loader?.refresh() ?? Promise.resolve());
}

void start();

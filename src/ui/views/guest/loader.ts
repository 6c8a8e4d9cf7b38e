// Loads one guest (view_guest) into an element and keeps it current: again after an action,
// on another time frame, and on refresh. Shared by the guest view and the cluster view.

import type { GuestViewData, TaskLogData } from "../../../tools/view-schemas.ts";
import type { Actions } from "../shared/actions.ts";
import { h } from "../shared/dom.ts";
import { type App, read } from "../shared/host.ts";
import { guestPanel } from "./panel.ts";

export class GuestLoader {
  #vmid?: number;
  #timeframe: GuestViewData["timeframe"] = "hour";
  #loading = 0;

  constructor(
    private readonly app: App,
    private readonly actions: () => Actions,
    readonly el: HTMLElement,
    private readonly back?: () => void,
  ) {}

  get vmid(): number | undefined {
    return this.#vmid;
  }

  open(vmid: number): Promise<void> {
    if (vmid !== this.#vmid) {
      this.#vmid = vmid;
      this.#timeframe = "hour";
      this.el.replaceChildren(h("p", { class: "muted loading" }, `Loading guest ${vmid}…`));
    }
    return this.refresh();
  }

  close(): void {
    this.#vmid = undefined;
    this.el.replaceChildren();
  }

  /** For `bun run bench`: when the guest was first on screen, in the view's own timeline. */
  #firstRender(): void {
    if (performance.getEntriesByName("proxmox:first-render").length > 0) return;
    // The next frame: after style and layout of what is about to be drawn.
    requestAnimationFrame(() => {
      performance.mark("proxmox:first-render");
      document.body.dataset.ready = "true";
    });
  }

  async refresh(): Promise<void> {
    const vmid = this.#vmid;
    if (vmid === undefined) return;
    const ticket = ++this.#loading; // only the latest answer is drawn
    try {
      const data = await read<GuestViewData>(this.app, "view_guest", {
        vmid,
        timeframe: this.#timeframe,
      });
      if (ticket !== this.#loading || vmid !== this.#vmid) return;
      this.#firstRender();
      this.el.replaceChildren(
        guestPanel(data, {
          actions: this.actions(),
          back: this.back,
          readLog: async (upid) =>
            (await read<TaskLogData>(this.app, "view_task_log", { upid })).lines,
          timeframe: (tf) => {
            this.#timeframe = tf;
            void this.refresh();
          },
        }),
      );
    } catch (error) {
      if (ticket !== this.#loading) return;
      this.el.replaceChildren(
        h(
          "div",
          { class: "card error-card" },
          h("strong", {}, `Guest ${vmid} could not be read`),
          h("p", {}, (error as Error).message),
          this.back ? h("button", { type: "button", onclick: this.back }, "Back") : null,
        ),
      );
    }
  }
}

// Guest actions from a view: start, shut down, stop, snapshot and console. Each calls the same
// tool the model would (start_vm, shutdown_vm…) through the host, so the server's scope
// guard and its confirmation apply: a destructive call is put to the person by the host, or
// refused until confirmed, and the view shows that outcome. It never confirms by itself.

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { h } from "./dom.ts";
import { guestLabel } from "./format.ts";
import { ACTION_TIMEOUT_MS, type App, resultText } from "./host.ts";
import { type IconName, icon } from "./icons.ts";
import type { Notice } from "./notice.ts";

export type Action = "start" | "shutdown" | "stop" | "snapshot" | "console";

export interface Target {
  vmid: number;
  type: "qemu" | "lxc";
  name?: string;
  status: string;
  template?: boolean;
}

const LABEL: Record<Action, string> = {
  start: "Start",
  shutdown: "Shut down",
  stop: "Stop (hard)",
  snapshot: "Take a snapshot of",
  console: "Open the console of",
};
const ICON: Record<Action, IconName> = {
  start: "start",
  shutdown: "shutdown",
  stop: "stop",
  snapshot: "snapshot",
  console: "console",
};

/** The power tools named *_vm take a container too (with its type), as the model calls them. */
export function toolFor(action: Action): string {
  if (action === "snapshot") return "snapshot_vm";
  if (action === "console") return "get_console_url";
  return `${action}_vm`;
}

/** What makes sense for the guest now, among the tools this session offers. */
export function actionsFor(target: Target, offered: readonly string[]): Action[] {
  if (target.template) return [];
  const running = target.status === "running" || target.status === "paused";
  const wanted: Action[] = running
    ? ["shutdown", "stop", "snapshot", "console"]
    : target.status === "stopped"
      ? ["start", "snapshot", "console"]
      : [];
  return wanted.filter((a) => offered.includes(toolFor(a)));
}

export function actionButtons(
  target: Target,
  offered: readonly string[],
  run: (action: Action, target: Target) => void,
): HTMLElement {
  return h(
    "div",
    { class: "actions" },
    actionsFor(target, offered).map((action) => {
      const label = `${LABEL[action]} ${guestLabel(target)}`;
      return h(
        "button",
        {
          type: "button",
          class: `icon-button action-${action}`,
          title: label,
          "aria-label": label,
          "data-action": action,
          onclick: (event: Event) => {
            event.stopPropagation();
            run(action, target);
          },
        },
        icon(ICON[action]),
      );
    }),
  );
}

export class Actions {
  constructor(
    private readonly app: App,
    private readonly notice: Notice,
    private readonly afterChange: () => void,
  ) {}

  run = (action: Action, target: Target): void => {
    if (action === "snapshot") this.#askSnapshot(target);
    else if (action === "console") void this.#console(target);
    else void this.#call(action, target, { vmid: target.vmid, type: target.type });
  };

  async #call(action: Action, target: Target, args: Record<string, unknown>): Promise<void> {
    const what = `${LABEL[action]} ${guestLabel(target)}`;
    this.notice.show(
      "pending",
      `${what}…`,
      "Waiting for the server (and for your confirmation, if asked).",
    );
    let result: CallToolResult;
    try {
      result = (await this.app.callServerTool(
        { name: toolFor(action), arguments: args },
        { timeout: ACTION_TIMEOUT_MS },
      )) as CallToolResult;
    } catch (error) {
      this.notice.show("error", `${what}: not done`, (error as Error).message);
      return;
    }
    this.#report(what, result);
    this.afterChange();
  }

  #report(what: string, result: CallToolResult): void {
    const text = resultText(result);
    if (!result.isError) {
      const message = (result.structuredContent as { message?: string } | undefined)?.message;
      this.notice.show("ok", `${what}: done`, message ?? text.split("\n")[0]);
    } else if (/declined|cancel/i.test(text)) {
      this.notice.show("declined", "Declined: nothing was changed", text);
    } else if (/confirm/i.test(text)) {
      // The server wants a confirmation this view must not give on its own: the person can hand
      // the request to the assistant, which asks them and confirms the server's way.
      const ask = this.app.getHostCapabilities()?.message
        ? h(
            "button",
            {
              type: "button",
              class: "link",
              onclick: () =>
                void this.app
                  .sendMessage({
                    role: "user",
                    content: [{ type: "text", text: `${what}, please.` }],
                  })
                  .catch(() => {}),
            },
            "Ask the assistant to do it",
          )
        : undefined;
      this.notice.show(
        "declined",
        "Not done: the server asks for confirmation",
        `${text}\nThe view does not confirm for you.`,
        ask,
      );
    } else {
      this.notice.show("error", `${what}: failed`, text);
    }
  }

  async #console(target: Target): Promise<void> {
    const what = `${LABEL.console} ${guestLabel(target)}`;
    const result = (await this.app
      .callServerTool({
        name: "get_console_url",
        arguments: { vmid: target.vmid, type: target.type },
      })
      .catch((error: Error) => ({
        isError: true,
        content: [{ type: "text", text: error.message }],
      }))) as CallToolResult;
    const url = (result.structuredContent as { url?: string } | undefined)?.url;
    if (result.isError || !url) return this.#report(what, result);
    const opened = await this.app.openLink({ url }).then(
      (r) => !(r as { isError?: boolean }).isError,
      () => false,
    );
    this.notice.show(
      "ok",
      opened ? `Console of ${guestLabel(target)} opened` : `Console of ${guestLabel(target)}`,
      opened ? url : `Open this address in a browser logged in to Proxmox: ${url}`,
    );
  }

  #askSnapshot(target: Target): void {
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, "");
    const name = h("input", {
      name: "snapname",
      required: true,
      pattern: "[A-Za-z][A-Za-z0-9_\\-]{1,39}",
      value: `snap${stamp}`,
      "aria-label": "Snapshot name",
    });
    const description = h("input", { name: "description", "aria-label": "Description" });
    const ram = h("input", { type: "checkbox", name: "vmstate" });
    const withRam = target.type === "qemu" && target.status === "running";
    // No <form>: a host's sandbox may forbid form submission (no allow-forms).
    const close = (value: string) => () => dialog.close(value);
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-label": `Snapshot of ${guestLabel(target)}` },
      h("h3", {}, `Snapshot of ${guestLabel(target)}`),
      h("label", {}, "Name", name),
      h("label", {}, "Description", description),
      withRam ? h("label", { class: "check" }, ram, "Include the RAM") : null,
      h(
        "div",
        { class: "dialog-buttons" },
        h("button", { type: "button", onclick: close("cancel") }, "Cancel"),
        h(
          "button",
          {
            type: "button",
            class: "primary",
            onclick: () => {
              if (name.reportValidity()) dialog.close("take");
            },
          },
          "Take snapshot",
        ),
      ),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (dialog.returnValue !== "take") return;
      void this.#call("snapshot", target, {
        vmid: target.vmid,
        snapname: name.value,
        ...(description.value ? { description: description.value } : {}),
        ...(withRam && ram.checked ? { vmstate: true } : {}),
      });
    });
    document.body.append(dialog);
    dialog.showModal();
  }
}

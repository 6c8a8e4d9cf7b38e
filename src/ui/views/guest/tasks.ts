// A list of tasks, each with its state, and its log opened in place on demand.

import type { ViewTask } from "../../../tools/view-schemas.ts";
import { h } from "../shared/dom.ts";
import { duration, when } from "../shared/format.ts";

const STATE_LABEL: Record<ViewTask["state"], string> = {
  running: "running",
  ok: "OK",
  warning: "warnings",
  error: "failed",
};

export function taskList(
  tasks: ViewTask[],
  readLog?: (upid: string) => Promise<string[]>,
): HTMLElement {
  if (tasks.length === 0) return h("p", { class: "muted" }, "No recent tasks.");
  return h(
    "ul",
    { class: "tasks" },
    tasks.map((t) => {
      const log = h("pre", { class: "log", hidden: true });
      const toggle = readLog
        ? h(
            "button",
            {
              type: "button",
              class: "link",
              "aria-expanded": "false",
              onclick: async () => {
                const open = log.hidden;
                log.hidden = !open;
                toggle?.setAttribute("aria-expanded", String(open));
                if (!open || log.dataset.loaded) return;
                log.textContent = "…";
                try {
                  log.textContent = (await readLog(t.upid)).join("\n") || "(empty log)";
                  log.dataset.loaded = "1";
                } catch (error) {
                  log.textContent = (error as Error).message;
                }
              },
            },
            "log",
          )
        : null;
      const took = t.endtime
        ? duration(t.endtime - t.starttime)
        : duration(Date.now() / 1000 - t.starttime);
      return h(
        "li",
        { class: `task ${t.state}`, "data-upid": t.upid },
        h(
          "div",
          { class: "task-row" },
          h("span", { class: `dot task-${t.state}`, "aria-hidden": "true" }),
          h("span", { class: "task-type" }, t.type, t.id ? ` ${t.id}` : ""),
          h("span", { class: "muted" }, t.node),
          h("span", { class: "muted" }, when(t.starttime)),
          h("span", { class: "muted" }, took),
          h(
            "span",
            { class: `task-state ${t.state}`, title: t.status ?? "" },
            t.state === "error" && t.status ? t.status : STATE_LABEL[t.state],
          ),
          toggle,
        ),
        log,
      );
    }),
  );
}

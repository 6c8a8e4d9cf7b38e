// One line at the top of a view that says what an action did: pending, done, declined or
// failed, in the server's own words. It stays until the next action or until dismissed.

import { fill, h } from "./dom.ts";
import { icon } from "./icons.ts";

export type NoticeKind = "pending" | "ok" | "declined" | "error";

export class Notice {
  readonly el = h("div", { class: "notice", role: "status", "aria-live": "polite", hidden: true });

  show(kind: NoticeKind, headline: string, detail?: string, extra?: HTMLElement): void {
    this.el.hidden = false;
    this.el.className = `notice ${kind}`;
    this.el.dataset.kind = kind;
    fill(
      this.el,
      h(
        "div",
        { class: "notice-text" },
        h("strong", {}, headline),
        detail ? h("span", { class: "notice-detail" }, detail) : null,
        extra ?? null,
      ),
      kind === "pending"
        ? null
        : h(
            "button",
            {
              class: "icon-button",
              type: "button",
              title: "Dismiss",
              "aria-label": "Dismiss",
              onclick: () => this.hide(),
            },
            icon("close"),
          ),
    );
  }

  hide(): void {
    this.el.hidden = true;
    this.el.replaceChildren();
  }
}

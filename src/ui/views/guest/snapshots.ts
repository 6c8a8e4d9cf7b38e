// The snapshot tree as Proxmox draws it: each snapshot under its parent, and "NOW" (the state
// the guest runs in) under the snapshot it was taken from.

import type { GuestViewData } from "../../../tools/view-schemas.ts";
import { h } from "../shared/dom.ts";
import { when } from "../shared/format.ts";

type Snapshot = GuestViewData["snapshots"][number];

export function snapshotTree(d: GuestViewData): HTMLElement {
  if (d.snapshots.length === 0) return h("p", { class: "muted" }, "No snapshots.");
  const names = new Set(d.snapshots.map((s) => s.name));
  const children = new Map<string | undefined, Snapshot[]>();
  for (const s of d.snapshots) {
    const parent = s.parent && names.has(s.parent) ? s.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const now = h(
    "li",
    { class: "snap current" },
    h("span", { class: "snap-name" }, "NOW"),
    " current state",
  );
  const branch = (parent: string | undefined): HTMLElement | null => {
    const kids = (children.get(parent) ?? []).sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
    const here = parent === d.current_parent || (parent === undefined && !d.current_parent);
    if (kids.length === 0 && !here) return null;
    return h(
      "ul",
      { class: "tree" },
      kids.map((s) =>
        h(
          "li",
          { class: "snap", "data-snapshot": s.name },
          h("span", { class: "snap-name" }, s.name),
          s.vmstate ? h("span", { class: "badge" }, "RAM") : null,
          h("span", { class: "muted" }, ` ${when(s.time)}`),
          s.description ? h("div", { class: "snap-desc muted" }, s.description) : null,
          branch(s.name),
        ),
      ),
      here ? now : null,
    );
  };
  return branch(undefined) ?? h("p", { class: "muted" }, "No snapshots.");
}

// Storages with how full they are and what they hold; a shared storage is shown once.

import type { ViewStorage } from "../../../tools/view-schemas.ts";
import { usageBar } from "../shared/charts.ts";
import { h } from "../shared/dom.ts";
import { bytes } from "../shared/format.ts";

const CONTENT: Record<string, string> = {
  images: "disks",
  rootdir: "CT volumes",
  iso: "ISOs",
  vztmpl: "CT templates",
  backup: "backups",
  snippets: "snippets",
  import: "imports",
};

export function storageList(storages: ViewStorage[]): HTMLElement {
  const seen = new Set<string>();
  const rows = storages.filter((s) => {
    const key = s.shared ? s.storage : `${s.storage}@${s.node}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (rows.length === 0) return h("p", { class: "muted" }, "No storage.");
  return h(
    "ul",
    { class: "storages" },
    rows.map((s) => {
      const where = s.shared ? "shared" : s.node;
      const holds = s.content.map((c) => CONTENT[c] ?? c).join(", ");
      return h(
        "li",
        { class: "storage", "data-storage": s.storage, "data-node": s.shared ? "" : s.node },
        s.status === "available"
          ? usageBar(
              `${s.storage} · ${where}`,
              s.used,
              s.total,
              `${bytes(s.used)} of ${bytes(s.total)}`,
            )
          : h(
              "div",
              { class: "usage-text" },
              h("span", {}, `${s.storage} · ${where}`),
              h("span", { class: "muted" }, s.status),
            ),
        h("div", { class: "muted small" }, `${s.type ?? ""}${holds ? ` · ${holds}` : ""}`),
      );
    }),
  );
}

// Small line icons drawn inline (24×24, stroked with the text colour): no font or image to load,
// and the same everywhere, so buttons look alike in every host and in a headless browser.

import { svg } from "./dom.ts";

const PATHS = {
  start: "M7 4.5v15l12-7.5z",
  shutdown: "M12 3v8M6.3 6.8a8 8 0 1 0 11.4 0",
  stop: "M6 6h12v12H6z",
  snapshot: "M4 8h3l2-3h6l2 3h3v11H4zM12 17a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z",
  console: "M3 5h18v14H3zM7 10l3 2-3 2M12 15h5",
  refresh: "M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7",
  back: "M15 5l-7 7 7 7",
  pause: "M8 5v14M16 5v14",
  play: "M8 5v14l11-7z",
  close: "M6 6l12 12M18 6L6 18",
  expand: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
  shrink: "M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5",
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGElement {
  return svg(
    "svg",
    { class: "icon", viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" },
    svg("path", { d: PATHS[name] }),
  );
}

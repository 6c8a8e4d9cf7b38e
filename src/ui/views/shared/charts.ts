// Usage bars, sparklines and line charts as inline SVG and CSS: a few hundred bytes each, drawn
// at once, in the theme's colours (currentColor and CSS classes, never fixed colours).

import { h, svg } from "./dom.ts";
import { percent, ratio } from "./format.ts";

/** Bar colour by how full: calm below 70%, warning to 90%, then danger. */
export function level(fraction: number | undefined): "ok" | "warn" | "danger" {
  if (fraction === undefined || fraction < 0.7) return "ok";
  return fraction < 0.9 ? "warn" : "danger";
}

/** A labelled usage bar: `label` left, `detail` right, the fill at used/total. */
export function usageBar(
  label: string,
  used: number | undefined,
  total: number | undefined,
  detail: string,
): HTMLElement {
  const f = ratio(used, total);
  return h(
    "div",
    { class: "usage", "data-percent": f === undefined ? "" : (f * 100).toFixed(1) },
    h(
      "div",
      { class: "usage-text" },
      h("span", {}, label),
      h("span", { class: "muted" }, f === undefined ? detail : `${percent(f)} · ${detail}`),
    ),
    h(
      "div",
      {
        class: "bar",
        role: "meter",
        "aria-label": label,
        "aria-valuemin": 0,
        "aria-valuemax": 100,
        "aria-valuenow": f === undefined ? undefined : Math.round(f * 100),
      },
      h("div", {
        class: `fill ${level(f)}`,
        style: `width:${f === undefined ? 0 : (f * 100).toFixed(1)}%`,
      }),
    ),
  );
}

/**
 * A tiny trend line of values in 0..1 (empty when there is no data), spread over the range the
 * values move in, so the shape shows even when they move little; the number beside it gives
 * the level.
 */
export function sparkline(values: readonly number[], width = 64, height = 18): SVGElement {
  const box = svg("svg", {
    class: "spark",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    "aria-hidden": "true",
  });
  if (values.length < 2) return box;
  const step = width / (values.length - 1);
  const mid = (Math.max(...values) + Math.min(...values)) / 2;
  const half = Math.max((Math.max(...values) - Math.min(...values)) / 2, 0.01);
  const y = (v: number) => (height / 2 - ((v - mid) / half) * (height / 2 - 2)).toFixed(1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${y(v)}`).join(" ");
  box.append(
    svg("polygon", { class: "spark-area", points: `0,${height} ${points} ${width},${height}` }),
    svg("polyline", { class: "spark-line", points }),
  );
  return box;
}

export interface Series {
  name: string;
  className: string;
  values: (number | undefined)[];
}

/**
 * A line chart of one or more series over the same times, scaled to their largest value (or
 * `max`), with the top value and the time span as labels. Gaps (a stopped guest) break the line.
 */
export function lineChart(
  title: string,
  times: number[],
  series: Series[],
  formatValue: (v: number) => string,
  formatTime: (t: number) => string,
  max?: number,
): HTMLElement {
  const width = 320;
  const height = 96;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const top = max ?? Math.max(...all, 0);
  const chart = svg("svg", {
    class: "chart",
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: "none",
    role: "img",
    "aria-label": title,
  });
  for (const frac of [0.25, 0.5, 0.75]) {
    const y = (height * frac).toFixed(1);
    chart.append(svg("line", { class: "grid", x1: 0, x2: width, y1: y, y2: y }));
  }
  const step = times.length > 1 ? width / (times.length - 1) : width;
  for (const s of series) {
    let d = "";
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === undefined || top <= 0) {
        pen = false;
        return;
      }
      const x = (i * step).toFixed(1);
      const y = (height - 2 - (v / top) * (height - 4)).toFixed(1);
      d += `${pen ? "L" : "M"}${x} ${y}`;
      pen = true;
    });
    if (d) chart.append(svg("path", { class: `line ${s.className}`, d }));
  }
  const legend = series.map((s) =>
    h("span", { class: `legend ${s.className}` }, h("i", {}), s.name),
  );
  return h(
    "figure",
    { class: "chart-box" },
    h(
      "figcaption",
      {},
      h("span", { class: "chart-title" }, title),
      h("span", { class: "muted" }, all.length ? `max ${formatValue(top)}` : "no data"),
    ),
    chart,
    h(
      "div",
      { class: "chart-foot muted" },
      h("span", {}, times.length ? formatTime(times[0] ?? 0) : ""),
      h("span", { class: "legends" }, legend),
      h("span", {}, times.length ? formatTime(times[times.length - 1] ?? 0) : ""),
    ),
  );
}

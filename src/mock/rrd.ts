// What guest and node RRD archives share: the row step of each time frame (every archive
// answers 70 rows) and a smooth, repeatable wobble around current values.

/** Seconds per row of each RRD archive. */
export const RRD_STEPS: Record<string, number> = {
  hour: 60,
  day: 1800,
  week: 10800,
  month: 43200,
  year: 604800,
  decade: 6048000,
};

export const RRD_ROWS = 70;

/** The `ds` parameter of the calls that render a graph. */
export const RRD_DS = {
  type: "string",
  format: "pve-configid-list",
  description: "The list of datasources you want to display.",
} as const;

/** The `timeframe` and `cf` parameters of every RRD call (nodes also know a decade). */
export function rrdParams(decade = false) {
  return {
    timeframe: {
      type: "string",
      enum: ["hour", "day", "week", "month", "year", ...(decade ? ["decade"] : [])],
      description: "Specify the time frame you are interested in.",
    },
    cf: {
      type: "string",
      optional: true,
      enum: ["AVERAGE", "MAX"],
      description: "The RRD consolidation function",
    },
  } as const;
}

/** A factor in 0.6..1.4 that changes slowly with time; `salt` gives each guest or node its own. */
export const wave = (t: number, salt: number): number =>
  1 + 0.4 * Math.sin(t / 5000 + salt) * Math.cos(t / 18000 + salt * 2);

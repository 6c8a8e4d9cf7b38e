// `100-199,250` → ranges of guest ids, for the allowed_vmids scope.

export type VmidRange = readonly [number, number];

/** Parses ids and ranges; returns the problem text instead when an item is not one. */
export function parseVmidRanges(items: readonly string[]): VmidRange[] | string {
  const ranges: VmidRange[] = [];
  for (const item of items) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item.trim());
    const from = Number(m?.[1]);
    const to = Number(m?.[2] ?? m?.[1]);
    if (!m || from > to) {
      return `"${item}" is not a vmid or a range like 100-199`;
    }
    ranges.push([from, to]);
  }
  return ranges;
}

export const inRanges = (ranges: readonly VmidRange[], vmid: number): boolean =>
  ranges.some(([from, to]) => vmid >= from && vmid <= to);

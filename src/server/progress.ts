// Progress a client can draw: one scale per call, chosen by the first Proxmox task the call waits
// for. Tasks whose log counts in percent (clone, migrate, backup, restore, download, disk move)
// report 0–100 with total 100; any other task a counter of heartbeats without total. Values only
// grow (the spec's MUST) and never pass the total: a report that would break either is not sent.

import { LOGS_PERCENT, type Progress, parseUpid } from "../pve/index.ts";

export interface ProgressNote {
  progress: number;
  total?: number;
  message: string;
}

export function progressScale(send: (note: ProgressNote) => void): (progress: Progress) => void {
  let scale: "percent" | "count" | undefined;
  let last: number | undefined;
  return ({ upid, percent, message }) => {
    scale ??= LOGS_PERCENT.has(parseUpid(upid)?.type ?? "") ? "percent" : "count";
    if (scale === "count") {
      last = (last ?? 0) + 1;
      send({ progress: last, message });
      return;
    }
    // Before the log gives a figure, one 0 says the work has begun.
    const value = percent === undefined ? 0 : Math.min(100, Math.round(percent * 100) / 100);
    if (last !== undefined && value <= last) return;
    last = value;
    send({ progress: value, total: 100, message });
  };
}

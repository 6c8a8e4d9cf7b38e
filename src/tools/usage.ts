// How busy a node, guest or storage is, the same way in every answer: the raw numbers Proxmox
// gives (bytes, CPUs) with the percentage beside them (units.ts).

import { z } from "zod";
import { bytes, cpuPct, pct, percent } from "./units.ts";

export const cpuMemFields = {
  cpu_pct: percent().optional(),
  maxcpu: z.number().optional(),
  mem: bytes().optional(),
  maxmem: bytes().optional(),
  mem_pct: percent().optional(),
};

export const diskFields = {
  disk: bytes().optional(),
  maxdisk: bytes().optional(),
  disk_pct: percent().optional(),
};

interface Raw {
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
}

/** CPU and memory in use; `live` false (a stopped guest) keeps only the sizes. */
export const cpuMem = (r: Raw, live = true) => ({
  cpu_pct: live ? cpuPct(r.cpu) : undefined,
  maxcpu: r.maxcpu,
  mem: live ? r.mem : undefined,
  maxmem: r.maxmem,
  mem_pct: live ? pct(r.mem, r.maxmem) : undefined,
});

/** Disk in use of `maxdisk`; `known` false (a VM: PVE cannot see into it) keeps only the size. */
export const diskUse = (r: Raw, known = true) => ({
  disk: known ? r.disk : undefined,
  maxdisk: r.maxdisk,
  disk_pct: known ? pct(r.disk, r.maxdisk) : undefined,
});

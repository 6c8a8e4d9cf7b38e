// GET /nodes/{node}/{qemu|lxc}/{vmid}/rrddata: a guest's RRD statistics (70 rows per archive).
import { fail } from "../errors.ts";
import { node, vmid } from "../params.ts";
import type { Route } from "../router.ts";
import { RRD_ROWS, RRD_STEPS, rrdParams, wave } from "../rrd.ts";
import { type GuestType, guestCpus, guestMaxdisk, guestMaxmem, type MockGuest } from "../state.ts";

function rows(g: MockGuest, timeframe: string, cf: string): Record<string, number>[] {
  const step = RRD_STEPS[timeframe] ?? 60;
  const end = Math.floor(Date.now() / 1000 / step) * step;
  const started = g.startedAt ? Math.floor(g.startedAt / 1000) : Number.POSITIVE_INFINITY;
  const peak = cf === "MAX" ? 1.3 : 1;
  const maxmem = guestMaxmem(g);
  const base = {
    maxcpu: guestCpus(g),
    maxmem,
    maxdisk: guestMaxdisk(g),
  };
  const out: Record<string, number>[] = [];
  for (let i = RRD_ROWS - 1; i >= 0; i--) {
    const time = end - i * step;
    // While the guest was off, PVE's rows carry no values at all.
    if (g.status !== "running" || time < started) {
      out.push({ time });
      continue;
    }
    const f = wave(time, g.vmid) * peak;
    const cpu = Math.max(g.stats.cpu, 0.01);
    out.push({
      time,
      ...base,
      cpu: Math.min(1, Number((cpu * f).toFixed(6))),
      mem: Math.min(maxmem, Math.round(Math.max(g.stats.mem, maxmem * 0.2) * (0.9 + 0.1 * f))),
      disk: g.type === "lxc" ? g.stats.disk : 0,
      netin: Number((42_000 * f).toFixed(2)),
      netout: Number((17_500 * f).toFixed(2)),
      diskread: Number((310_000 * f).toFixed(2)),
      diskwrite: Number((128_000 * f).toFixed(2)),
      ...(g.type === "qemu"
        ? { memhost: Math.round(Math.max(g.stats.mem, maxmem * 0.2) * 1.08) }
        : {}),
    });
  }
  return out;
}

export function guestRrdRoutes(kind: GuestType): Route[] {
  return [
    {
      method: "GET",
      path: `/nodes/{node}/${kind}/{vmid}/rrddata`,
      description: "Read VM RRD statistics",
      permission: [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }],
      parameters: { node, vmid, ...rrdParams() },
      // Read from the cluster-wide RRD cache: no config is loaded, the node is not checked.
      handler: ({ mock, params }) => {
        const g = mock.state.guests.get(Number(params.vmid));
        if (!g) {
          throw fail(
            `RRD error: opening '/var/lib/rrdcached/db/pve-vm-9.0/${params.vmid}': No such file or directory`,
          );
        }
        return rows(g, String(params.timeframe), String(params.cf ?? "AVERAGE"));
      },
    },
  ];
}

// GET …/pending: every config key with its current value, its pending value and pending deletes.
import { loadGuest } from "../guests.ts";
import { node, vmid } from "../params.ts";
import type { Route } from "../router.ts";
import type { ConfigValue, GuestType, MockGuest } from "../state.ts";

const masked = (key: string, v: ConfigValue | undefined) =>
  key === "cipassword" && v !== undefined ? "**********" : v;

export function pendingRows(guest: MockGuest): Record<string, unknown>[] {
  const pending = guest.pending ?? {};
  const deletes = new Set(guest.pendingDelete ?? []);
  const keys = new Set([...Object.keys(guest.config), ...Object.keys(pending), ...deletes]);
  if (guest.lock) keys.add("lock");
  return [...keys].sort().map((key) => {
    const value = key === "lock" ? guest.lock : guest.config[key];
    return {
      key,
      ...(value !== undefined ? { value: masked(key, value) } : {}),
      ...(key in pending ? { pending: masked(key, pending[key]) } : {}),
      ...(deletes.has(key) ? { delete: 1 } : {}),
    };
  });
}

export function pendingRoutes(kind: GuestType): Route[] {
  return [
    {
      method: "GET",
      path: `/nodes/{node}/${kind}/{vmid}/pending`,
      description:
        kind === "qemu"
          ? "Get the virtual machine configuration with both current and pending values."
          : "Get container configuration, including pending changes.",
      permission: [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }],
      proxyto: "node",
      parameters: { node, vmid },
      handler: ({ mock, params }) =>
        pendingRows(loadGuest(mock.state, kind, String(params.node), Number(params.vmid))),
    },
  ];
}

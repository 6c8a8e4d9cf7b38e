// A console URL a person opens in a browser: the Proxmox web UI's noVNC, xterm.js or SPICE
// window for one guest, on the host this server talks to.

import { z } from "zod";
import { CLUSTER_RESOURCES, GUEST_CONFIG } from "../pve/endpoints/index.ts";
import { guestType, nodeOptional, vmid } from "./args.ts";
import { defineTool, READ } from "./define.ts";
import { guestData, guestFields, readConfig } from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";

export const getConsoleUrl = defineTool({
  name: "get_console_url",
  title: "Console URL",
  toolset: "console",
  description:
    "A link to a guest's console in the Proxmox web UI (noVNC by default for VMs, xterm.js for containers, or SPICE) for a person to open in a browser logged in to Proxmox. No session is created here.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    type: guestType,
    console: z
      .enum(["novnc", "xtermjs", "spice"])
      .optional()
      .describe("novnc (graphical), xtermjs (text; VMs need a serial port) or spice"),
  }),
  output: z.object({
    ...guestFields,
    console: z.enum(["novnc", "xtermjs", "spice"]),
    url: z.string(),
    note: z.string().optional().describe("What the console needs to work"),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const kind = args.console ?? (guest.type === "lxc" ? "xtermjs" : "novnc");
      let note: string | undefined;
      // The web UI shows the name in the window title; trusted hints do not carry it.
      const config =
        guest.name === undefined || (guest.type === "qemu" && kind !== "novnc")
          ? await readConfig(ctx, guest)
          : {};
      if (guest.type === "qemu" && kind !== "novnc") {
        if (kind === "xtermjs" && !String(config.serial0 ?? "").startsWith("socket")) {
          note =
            "xterm.js needs a serial port on the VM (serial0: socket) and a getty on it inside the guest; use novnc otherwise";
        }
        if (kind === "spice" && !/^qxl/.test(String(config.vga ?? ""))) {
          note = "SPICE needs the VM's display set to SPICE (vga: qxl); use novnc otherwise";
        }
      }
      if (kind === "spice" && guest.type === "lxc") {
        note = "SPICE needs virt-viewer on the client; xtermjs is the usual container console";
      }
      const name = guest.name ?? String(config.name ?? config.hostname ?? "");
      const query = new URLSearchParams({
        console: guest.type === "qemu" ? "kvm" : "lxc",
        [kind]: "1",
        vmid: String(guest.vmid),
        vmname: name,
        node: guest.node,
        resize: "off",
        cmd: "",
      });
      const url = `${ctx.pve.origin}/?${query}`;
      return {
        data: { ...guestData(guest), console: kind, url, note },
        text: `${kind} console of ${describeGuest(guest)} (open while logged in to the Proxmox web UI):\n${url}${note ? `\nNote: ${note}` : ""}`,
      };
    });
  },
});

/** For a person (the interactive console tools are in console-open.ts). */
export const consoleUrlTools = [getConsoleUrl];

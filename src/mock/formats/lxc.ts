// Property strings of a container's config (pve-container): root and mount points, NICs,
// features, device passthrough.
import { isIPv4, isIPv6 } from "node:net";
import {
  bool,
  int,
  type KeySpec,
  num,
  oneOf,
  type PropertyFormat,
  required,
  str,
  type Verifier,
} from "./types.ts";

const MOUNT_OPTION = "(discard|lazytime|noatime|nodev|noexec|nosuid)";

const ROOTFS: Record<string, KeySpec> = {
  volume: required(str({ defaultKey: true, format: "pve-lxc-mp-string" })),
  size: str({ format: "disk-size" }),
  acl: bool(),
  mountoptions: str({ pattern: `${MOUNT_OPTION}(;${MOUNT_OPTION})*` }),
  ro: bool(),
  quota: bool(),
  replicate: bool(),
  shared: bool(),
};

export const LXC_FORMATS: Record<string, PropertyFormat> = {
  "pve-ct-rootfs": { keys: ROOTFS },
  "pve-ct-mountpoint": {
    keys: {
      ...ROOTFS,
      backup: bool(),
      mp: required(str({ format: "pve-lxc-mp-string" })),
      keepattrs: bool(),
    },
  },
  "pve-ct-unused": {
    keys: { volume: required(str({ defaultKey: true, format: "pve-volume-id" })) },
  },
  "pve-lxc-network": {
    keys: {
      type: oneOf(["veth"]),
      name: required(str({ pattern: "[-_.\\w]+" })),
      bridge: str({ pattern: "[-_.\\w]+" }),
      hwaddr: str({ format: "mac-addr" }),
      mtu: int(64, 65535),
      ip: str({ format: "pve-ipv4-config" }),
      gw: str({ format: "ipv4" }),
      ip6: str({ format: "pve-ipv6-config" }),
      gw6: str({ format: "ipv6" }),
      firewall: bool(),
      tag: int(1, 4094),
      trunks: str({ pattern: "\\d+(?:;\\d+)*" }),
      rate: num(),
      link_down: bool(),
      "host-managed": bool(),
    },
  },
  "pve-ct-features": {
    keys: {
      mount: str({ pattern: "[a-zA-Z0-9_; ]+" }),
      nesting: bool(),
      keyctl: bool(),
      fuse: bool(),
      mknod: bool(),
      force_rw_sys: bool(),
    },
  },
  "pve-lxc-dev": {
    keys: {
      path: str({ defaultKey: true, format: "pve-lxc-dev-string" }),
      mode: str({ pattern: "0[0-7]{3}" }),
      uid: int(0),
      gid: int(0),
      "deny-write": bool(),
    },
  },
};

export const LXC_SCALAR_FORMATS: Record<string, Verifier> = {
  "pve-lxc-dev-string": (v) =>
    /\/\.\.?(\/|$)/.test(v) || !v.startsWith("/dev/")
      ? `${v} is not a valid device path\n`
      : undefined,
  // A nameserver, with an optional `%iface` on link-local IPv6 addresses.
  "lxc-ip-with-ll-iface": (v) => {
    const [ip, iface] = v.split("%");
    if (iface !== undefined) {
      return isIPv6(ip ?? "") && /^fe80:/i.test(ip ?? "")
        ? undefined
        : "value does not look like a valid IP address\n";
    }
    return isIPv4(v) || isIPv6(v) ? undefined : "value does not look like a valid IP address\n";
  },
};

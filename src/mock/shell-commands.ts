// What the simulated shell's commands print: os-release files, uname, uptime, a root listing.

import type { TerminalSpec } from "./shell.ts";

export const OS_RELEASE: Record<TerminalSpec["os"], string[]> = {
  pve: debian13(),
  debian: debian13(),
  ubuntu: [
    'PRETTY_NAME="Ubuntu 24.04.3 LTS"',
    'NAME="Ubuntu"',
    'VERSION_ID="24.04"',
    'VERSION="24.04.3 LTS (Noble Numbat)"',
    "VERSION_CODENAME=noble",
    "ID=ubuntu",
    "ID_LIKE=debian",
    'HOME_URL="https://www.ubuntu.com/"',
  ],
  alpine: [
    'NAME="Alpine Linux"',
    "ID=alpine",
    "VERSION_ID=3.22.2",
    'PRETTY_NAME="Alpine Linux v3.22"',
    'HOME_URL="https://alpinelinux.org/"',
  ],
};

function debian13(): string[] {
  return [
    'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"',
    'NAME="Debian GNU/Linux"',
    'VERSION_ID="13"',
    'VERSION="13 (trixie)"',
    "VERSION_CODENAME=trixie",
    "DEBIAN_VERSION_FULL=13.1",
    "ID=debian",
    'HOME_URL="https://www.debian.org/"',
    'SUPPORT_URL="https://www.debian.org/support"',
    'BUG_REPORT_URL="https://bugs.debian.org/"',
  ];
}

export const ROOT_LISTING = [
  "bin",
  "boot",
  "dev",
  "etc",
  "home",
  "lib",
  "media",
  "mnt",
  "opt",
  "proc",
]
  .concat(["root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"])
  .map((d) => `\x1b[01;34m${d}\x1b[0m`)
  .join("  ");

/** Words of a command line, with simple '…' and "…" quoting. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    words.push(m[1] ?? m[2] ?? m[3] ?? "");
  return words;
}

export function uname(spec: TerminalSpec, args: string[]): string {
  if (args.includes("-a")) {
    return `Linux ${spec.hostname} ${spec.kernelRelease} ${spec.kernelVersion} x86_64 GNU/Linux`;
  }
  if (args.includes("-r")) return spec.kernelRelease;
  if (args.includes("-n")) return spec.hostname;
  return "Linux";
}

export function uptime(spec: TerminalSpec): string {
  const now = new Date();
  const up = Math.max(0, Math.floor(now.getTime() / 1000) - spec.bootTime);
  const days = Math.floor(up / 86400);
  const hours = Math.floor((up % 86400) / 3600);
  const minutes = Math.floor((up % 3600) / 60);
  const clock = now.toTimeString().slice(0, 8);
  const dayText = days > 0 ? `${days} day${days === 1 ? "" : "s"}, ` : "";
  const [l1, l5, l15] = spec.loadavg;
  return ` ${clock} up ${dayText}${String(hours).padStart(2)}:${String(minutes).padStart(2, "0")},  1 user,  load average: ${l1}, ${l5}, ${l15}`;
}

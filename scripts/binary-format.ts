// A cross-compiled binary cannot be run here, so its header is the evidence that bun produced
// what was asked: the executable format (ELF, Mach-O, PE), the CPU, and for Linux the C library
// its loader belongs to. A bun build that "succeeds" but writes the wrong thing fails here.

import type { Target } from "./targets.ts";

interface Expected {
  format: "elf" | "macho" | "pe";
  cpu: "x64" | "arm64";
  libc?: "glibc" | "musl";
}

function expected(target: Target): Expected {
  const [os, cpu, libc] = target.split("-") as [string, "x64" | "arm64", string | undefined];
  if (os === "darwin") return { format: "macho", cpu };
  if (os === "windows") return { format: "pe", cpu };
  return { format: "elf", cpu, libc: libc === "musl" ? "musl" : "glibc" };
}

const ELF_MACHINE = { x64: 0x3e, arm64: 0xb7 } as const;
const MACHO_CPU = { x64: 0x01000007, arm64: 0x0100000c } as const;
const PE_MACHINE = { x64: 0x8664, arm64: 0xaa64 } as const;

/** Describes the first mismatch between a binary's header and its target, or undefined. */
export function formatProblem(head: Uint8Array, target: Target): string | undefined {
  const want = expected(target);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.byteLength < 64) return "file is too small to be an executable";
  const ascii = (at: number, n: number) => String.fromCharCode(...head.subarray(at, at + n));
  if (want.format === "elf") {
    if (ascii(0, 4) !== "\x7fELF") return "not an ELF executable";
    if (head[4] !== 2 || head[5] !== 1) return "not a 64-bit little-endian ELF";
    const machine = view.getUint16(18, true);
    if (machine !== ELF_MACHINE[want.cpu]) return `ELF machine 0x${machine.toString(16)}`;
    const text = new TextDecoder("latin1").decode(head);
    const musl = text.includes("ld-musl-");
    if (want.libc === "musl" && !musl) return "expected a musl loader (ld-musl-*)";
    if (want.libc === "glibc" && musl) return "expected a glibc loader, found ld-musl-*";
    return undefined;
  }
  if (want.format === "macho") {
    if (view.getUint32(0, true) !== 0xfeedfacf) return "not a 64-bit Mach-O executable";
    const cpu = view.getUint32(4, true);
    return cpu === MACHO_CPU[want.cpu] ? undefined : `Mach-O cputype 0x${cpu.toString(16)}`;
  }
  if (ascii(0, 2) !== "MZ") return "not a PE executable (no MZ header)";
  const pe = view.getUint32(0x3c, true);
  if (pe + 6 > head.byteLength || ascii(pe, 4) !== "PE\0\0") return "no PE signature";
  const machine = view.getUint16(pe + 4, true);
  return machine === PE_MACHINE[want.cpu] ? undefined : `PE machine 0x${machine.toString(16)}`;
}

/** Throws unless the file at `path` is an executable for `target`. */
export async function checkBinaryFormat(path: string, target: Target): Promise<void> {
  const file = Bun.file(path);
  if (!(await file.exists())) throw new Error(`${path} was not written`);
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  const problem = formatProblem(head, target);
  if (problem) throw new Error(`${path} is not a ${target} executable: ${problem}`);
}

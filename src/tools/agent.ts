// The QEMU guest agent: ping, run commands, read and write files, OS info. Every call passes
// PVE's gates (agent configured → VM running → agent answering); refusals say what to fix.

import { z } from "zod";
import {
  AGENT_EXEC,
  AGENT_EXEC_STATUS,
  AGENT_FILE_READ,
  AGENT_FILE_WRITE,
  AGENT_INFO,
  AGENT_OSINFO,
  CLUSTER_RESOURCES,
  type ExecStatus,
} from "../pve/endpoints/index.ts";
import { type GuestRef, guestAt, PveError } from "../pve/index.ts";
import { nodeOptional, vmid } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext, type ToolDef } from "./define.ts";
import { ToolError } from "./errors.ts";
import { guestData, guestFields } from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";

const HINTS: [RegExp, string][] = [
  [
    /No QEMU guest agent configured/,
    "Enable it in the VM's options (agent=1), install qemu-guest-agent inside the guest, then stop and start the VM.",
  ],
  [/^VM \d+ is not running$/, "Start the VM first (start_vm)."],
  [
    /QEMU guest agent is not running/,
    "Start the qemu-guest-agent service inside the guest (systemctl enable --now qemu-guest-agent); a paused VM's agent cannot answer either.",
  ],
];

/** Runs an agent call on a VM; PVE's gate refusals come back with what to do about them. */
async function withAgent<T>(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  args: { vmid: number; node?: string },
  tool: string,
  fn: (guest: GuestRef) => Promise<T>,
): Promise<T> {
  return onGuest(ctx, { ...args, type: "qemu" }, async (guest) => {
    if (guest.type !== "qemu") {
      throw new ToolError(
        `${describeGuest(guest)} is a container: ${tool} uses the QEMU guest agent, which only VMs have`,
        "Containers are reached with a shell on their node (pct exec).",
      );
    }
    try {
      return await fn(guest);
    } catch (error) {
      if (error instanceof PveError && error.status === 500) {
        const hint = HINTS.find(([re]) => re.test(error.reason))?.[1];
        if (hint) throw new ToolError(`${describeGuest(guest)}: ${error.reason}`, hint);
        if (/^Agent error: /.test(error.reason))
          throw new ToolError(`${describeGuest(guest)}: ${error.reason}`);
      }
      throw error;
    }
  });
}

const agentArgs = { node: nodeOptional, vmid };

export const vmAgentPing = defineTool({
  name: "vm_agent_ping",
  title: "Ping the guest agent",
  toolset: "agent",
  description:
    "Check that a VM's QEMU guest agent answers (needed by the other agent tools); says why not when it does not.",
  input: z.strictObject(agentArgs),
  output: z.object({
    ...guestFields,
    ok: z.boolean(),
    version: z.string().optional(),
    message: z.string(),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, AGENT_INFO],
  async handler(args, ctx) {
    return withAgent(ctx, args, "vm_agent_ping", async (guest) => {
      const { result } = await ctx.pve.call(AGENT_INFO, guestAt(guest), { signal: ctx.signal });
      const version = result?.version;
      return {
        data: {
          ...guestData(guest),
          ok: true,
          version,
          message: `the guest agent of ${describeGuest(guest)} answers${version ? ` (version ${version})` : ""}`,
        },
      };
    });
  },
});

/** A command line into argv: single and double quotes group words; no expansion. */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3] ?? ""));
  }
  return out;
}

const execResult = {
  exited: z.boolean(),
  exitcode: z.number().optional(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
  stdout_truncated: z.boolean().optional(),
  stderr_truncated: z.boolean().optional(),
  signal: z.number().optional().describe("Signal that ended the process"),
};

function shapeStatus(s: ExecStatus) {
  return {
    exited: s.exited === 1,
    exitcode: s.exitcode,
    stdout: s["out-data"],
    stderr: s["err-data"],
    stdout_truncated: s["out-truncated"] ? true : undefined,
    stderr_truncated: s["err-truncated"] ? true : undefined,
    signal: s.signal,
  };
}

function execText(guest: GuestRef, pid: number, r: ReturnType<typeof shapeStatus>): string {
  if (!r.exited) return `pid ${pid} in ${describeGuest(guest)} is still running`;
  const parts = [`exit code ${r.exitcode ?? "?"}${r.signal ? ` (signal ${r.signal})` : ""}`];
  if (r.stdout) parts.push(`stdout:\n${r.stdout.replace(/\n$/, "")}`);
  if (r.stderr) parts.push(`stderr:\n${r.stderr.replace(/\n$/, "")}`);
  return parts.join("\n");
}

export const vmExec = defineTool({
  name: "vm_exec",
  title: "Run a command in a VM",
  toolset: "agent",
  description:
    "Run a program inside a VM through the guest agent (as root / SYSTEM). command is an argv list, or a string split on spaces (quotes group); shell: true runs it with /bin/sh -c. With wait: true returns exit code, stdout and stderr in one call; otherwise the pid for vm_exec_status.",
  input: z.strictObject({
    ...agentArgs,
    command: z
      .union([z.string().min(1).max(8192), z.array(z.string().max(8192)).min(1).max(256)])
      .describe('Program and arguments: ["ls", "-l", "/tmp"] or "ls -l /tmp"'),
    shell: z
      .boolean()
      .optional()
      .describe("Run the command string through /bin/sh -c (pipes, &&, $VARS)"),
    input_data: z.string().max(65536).optional().describe("Data for the program's stdin"),
    wait: z.boolean().optional().describe("Wait for the command to end and return its output"),
    timeout: z
      .number()
      .int()
      .min(1)
      .max(600)
      .optional()
      .describe("With wait: seconds to wait before returning the pid instead (default 30)"),
  }),
  output: z.object({ ...guestFields, pid: z.number(), ...execResult, next: z.string().optional() }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, AGENT_EXEC, AGENT_EXEC_STATUS],
  async handler(args, ctx) {
    const line = Array.isArray(args.command) ? args.command.join(" ") : args.command;
    const argv = args.shell
      ? ["/bin/sh", "-c", line]
      : Array.isArray(args.command)
        ? args.command
        : splitCommand(args.command);
    if (argv.length === 0 || argv[0] === "") throw new ToolError("command is empty");
    return withAgent(ctx, args, "vm_exec", async (guest) => {
      const { pid } = await ctx.pve.call(
        AGENT_EXEC,
        { ...guestAt(guest), command: argv, "input-data": args.input_data },
        { signal: ctx.signal },
      );
      const base = { ...guestData(guest), pid };
      if (!args.wait) {
        return {
          data: {
            ...base,
            exited: false,
            next: `vm_exec_status (vmid ${guest.vmid}, pid ${pid}) for its output`,
          },
          text: `started pid ${pid} in ${describeGuest(guest)}; vm_exec_status gives its output`,
        };
      }
      const deadline = Date.now() + (args.timeout ?? 30) * 1000;
      let delay = 100;
      while (true) {
        const status = await ctx.pve.call(
          AGENT_EXEC_STATUS,
          { ...guestAt(guest), pid },
          { signal: ctx.signal },
        );
        if (status.exited === 1) {
          const r = shapeStatus(status);
          return { data: { ...base, ...r }, text: execText(guest, pid, r) };
        }
        if (Date.now() + delay > deadline || ctx.signal.aborted) break;
        await Bun.sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
      return {
        data: {
          ...base,
          exited: false,
          next: `still running: vm_exec_status (vmid ${guest.vmid}, pid ${pid}) later`,
        },
      };
    });
  },
});

export const vmExecStatus = defineTool({
  name: "vm_exec_status",
  title: "Status of a command in a VM",
  toolset: "agent",
  description:
    "Whether a command started by vm_exec has ended, and then its exit code, stdout and stderr (the agent reports the end only once).",
  input: z.strictObject({
    ...agentArgs,
    pid: z.number().int().min(0).describe("pid from vm_exec"),
  }),
  output: z.object({ ...guestFields, pid: z.number(), ...execResult }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, AGENT_EXEC_STATUS],
  async handler(args, ctx) {
    return withAgent(ctx, args, "vm_exec_status", async (guest) => {
      const status = await ctx.pve.call(
        AGENT_EXEC_STATUS,
        { ...guestAt(guest), pid: args.pid },
        { signal: ctx.signal },
      );
      const r = shapeStatus(status);
      return {
        data: { ...guestData(guest), pid: args.pid, ...r },
        text: execText(guest, args.pid, r),
      };
    });
  },
});

const guestPathArg = z
  .string()
  .min(1)
  .max(4096)
  .describe("Absolute path inside the guest, e.g. /etc/os-release or C:\\temp\\x.txt");

export const vmReadFile = defineTool({
  name: "vm_read_file",
  title: "Read a file in a VM",
  toolset: "agent",
  description:
    "Read a file inside a VM through the guest agent (up to 16 MiB per call; offset and count page through bigger files). Text by default; base64 for binary files.",
  input: z.strictObject({
    ...agentArgs,
    file: guestPathArg,
    offset: z.number().int().min(0).optional().describe("Start at this byte"),
    count: z
      .number()
      .int()
      .min(1)
      .max(16777216)
      .optional()
      .describe("Read at most this many bytes"),
    base64: z.boolean().optional().describe("Return the bytes base64-encoded (binary files)"),
  }),
  output: z.object({
    ...guestFields,
    file: z.string(),
    content: z.string(),
    encoding: z.enum(["text", "base64"]),
    truncated: z.boolean().describe("More of the file follows (read on with offset)"),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, AGENT_FILE_READ],
  async handler(args, ctx) {
    return withAgent(ctx, args, "vm_read_file", async (guest) => {
      const r = await ctx.pve.call(
        AGENT_FILE_READ,
        {
          ...guestAt(guest),
          file: args.file,
          offset: args.offset,
          count: args.count,
          decode: args.base64 ? false : undefined,
        },
        { signal: ctx.signal },
      );
      const truncated = Boolean(r.truncated);
      return {
        data: {
          ...guestData(guest),
          file: args.file,
          content: r.content,
          encoding: args.base64 ? ("base64" as const) : ("text" as const),
          truncated,
        },
        text: `${args.file} in ${describeGuest(guest)} (${args.base64 ? "base64" : "text"}${truncated ? ", truncated: read on with offset" : ""}):\n${r.content}`,
      };
    });
  },
});

export const vmWriteFile = defineTool({
  name: "vm_write_file",
  title: "Write a file in a VM",
  toolset: "agent",
  description:
    "Create or overwrite a file inside a VM through the guest agent (up to 60 KiB). content is text (encode true, the default); with encode false it must already be base64 (binary files).",
  input: z.strictObject({
    ...agentArgs,
    file: guestPathArg,
    content: z.string().max(61440).describe("The file's new content"),
    encode: z
      .boolean()
      .optional()
      .describe("true (default): content is plain text; false: content is already base64"),
  }),
  output: z.object({ ...guestFields, file: z.string(), bytes: z.number(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, AGENT_FILE_WRITE],
  async handler(args, ctx) {
    if (args.encode === false && !/^[A-Za-z0-9+/]*={0,2}$/.test(args.content)) {
      throw new ToolError(
        "encode is false but content is not base64",
        "Pass the text with encode true (the default).",
      );
    }
    return withAgent(ctx, args, "vm_write_file", async (guest) => {
      await ctx.pve.call(
        AGENT_FILE_WRITE,
        { ...guestAt(guest), file: args.file, content: args.content, encode: args.encode },
        { signal: ctx.signal },
      );
      const bytes =
        args.encode === false
          ? Buffer.from(args.content, "base64").length
          : Buffer.byteLength(args.content, "utf8");
      return {
        data: {
          ...guestData(guest),
          file: args.file,
          bytes,
          message: `wrote ${bytes} bytes to ${args.file} in ${describeGuest(guest)}`,
        },
      };
    });
  },
});

export const getAgentOsinfo = defineTool({
  name: "get_agent_osinfo",
  title: "Guest OS info",
  toolset: "agent",
  description:
    "The operating system a VM runs, as its guest agent reports it: name, version, kernel, architecture.",
  input: z.strictObject(agentArgs),
  output: z.object({
    ...guestFields,
    id: z.string().optional(),
    name: z.string().optional(),
    pretty_name: z.string().optional(),
    version: z.string().optional(),
    version_id: z.string().optional(),
    kernel_release: z.string().optional(),
    kernel_version: z.string().optional(),
    machine: z.string().optional(),
    variant: z.string().optional(),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, AGENT_OSINFO],
  async handler(args, ctx) {
    return withAgent(ctx, args, "get_agent_osinfo", async (guest) => {
      const { result: r } = await ctx.pve.call(AGENT_OSINFO, guestAt(guest), {
        signal: ctx.signal,
      });
      return {
        data: {
          ...guestData(guest),
          id: r.id,
          name: r.name,
          pretty_name: r["pretty-name"],
          version: r.version,
          version_id: r["version-id"],
          kernel_release: r["kernel-release"],
          kernel_version: r["kernel-version"],
          machine: r.machine,
          variant: r.variant,
        },
      };
    });
  },
});

export const agentTools: ToolDef[] = [
  vmAgentPing,
  vmExec,
  vmExecStatus,
  vmReadFile,
  vmWriteFile,
  getAgentOsinfo,
];

export { withAgent };

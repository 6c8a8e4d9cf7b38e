// Guest tags: add, remove, replace. PVE normalises a tag list (lower-case, no duplicates, sorted,
// joined by `;`); the tools compute the same list so the answer shows what PVE stores.

import { z } from "zod";
import { CLUSTER_RESOURCES, GUEST_CONFIG, GUEST_CONFIG_PUT } from "../pve/endpoints/index.ts";
import { type GuestRef, guestAt } from "../pve/index.ts";
import { defineTool, type ToolContext, type ToolDef, WRITE_IDEMPOTENT } from "./define.ts";
import { ToolError } from "./errors.ts";
import { guestArgs, guestData, guestFields, readConfig } from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";

const TAG = /^[a-z0-9_][a-z0-9_\-+.]*$/i;

export function splitTags(text: string): string[] {
  return text.split(/[;,\s]+/).filter((t) => t !== "");
}

export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort();
}

function parseArg(text: string, allowEmpty: boolean): string[] {
  const tags = splitTags(text);
  const bad = tags.filter((t) => !TAG.test(t));
  if (bad.length > 0) {
    throw new ToolError(
      `invalid tag(s): ${bad.map((t) => JSON.stringify(t)).join(", ")}`,
      "A tag is letters, digits, '_', '-', '+' and '.', not starting with '-', '+' or '.'.",
    );
  }
  if (!allowEmpty && tags.length === 0) throw new ToolError("no tags given");
  return tags;
}

/** PUT (synchronous for both kinds): tags apply at once, running or not. */
async function storeTags(
  ctx: ToolContext<typeof GUEST_CONFIG_PUT>,
  guest: GuestRef,
  tags: string[],
): Promise<void> {
  const params = tags.length > 0 ? { tags: tags.join(";") } : { delete: "tags" };
  await ctx.pve.call(GUEST_CONFIG_PUT, { ...guestAt(guest), ...params }, { signal: ctx.signal });
}

const tagOutput = z.object({
  ...guestFields,
  tags: z.array(z.string()).describe("The guest's tags now, as PVE stores them"),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  message: z.string(),
});

type Mode = "add" | "remove" | "set";

const TEXT: Record<Mode, { title: string; description: string; arg: string }> = {
  add: {
    title: "Add tags",
    description:
      "Add tags to a VM or container, keeping its others. Tags are stored lower-case and sorted.",
    arg: "Tags to add, separated by ; , or spaces",
  },
  remove: {
    title: "Remove tags",
    description: "Remove tags from a VM or container; its other tags stay.",
    arg: "Tags to remove, separated by ; , or spaces",
  },
  set: {
    title: "Replace tags",
    description:
      "Replace all tags of a VM or container with the given list (an empty string removes every tag).",
    arg: "The complete tag list, separated by ; , or spaces; empty to clear",
  },
};

function tagTool(mode: Mode): ToolDef {
  const t = TEXT[mode];
  return defineTool({
    name: `${mode === "set" ? "set_tags" : `${mode}_tag`}`,
    title: t.title,
    toolset: "guest_settings",
    description: t.description,
    input: z.strictObject({ ...guestArgs, tags: z.string().max(1024).describe(t.arg) }),
    output: tagOutput,
    annotations: WRITE_IDEMPOTENT,
    endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG, GUEST_CONFIG_PUT.sending("tags", "delete")],
    async handler(args, ctx) {
      const given = normalizeTags(parseArg(args.tags, mode === "set"));
      return onGuest(ctx, args, async (guest) => {
        const config = await readConfig(ctx, guest);
        const before = normalizeTags(splitTags(String(config.tags ?? "")));
        const after =
          mode === "add"
            ? normalizeTags([...before, ...given])
            : mode === "remove"
              ? before.filter((x) => !given.includes(x))
              : given;
        const added = after.filter((x) => !before.includes(x));
        const removed = before.filter((x) => !after.includes(x));
        const same = added.length === 0 && removed.length === 0;
        if (!same) await storeTags(ctx, guest, after);
        const message = same
          ? `${describeGuest(guest)} already has tags [${after.join(", ")}]; nothing to change`
          : `${describeGuest(guest)} tags: [${after.join(", ")}]`;
        return { data: { ...guestData(guest), tags: after, added, removed, message } };
      });
    },
  });
}

export const tagTools: ToolDef[] = [tagTool("add"), tagTool("remove"), tagTool("set")];

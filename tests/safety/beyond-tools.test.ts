// The guard sits under every path to Proxmox, not only tools: resources, completions and task
// logs read as resources are held to the scope the same way.

import { describe, expect, test } from "bun:test";
import { scoped, touching } from "./support.ts";

const SCOPE = { allowed_vmids: ["100-101"] };

describe("resources and completions", () => {
  test("a guest resource outside the scope is refused as invalid params, unsent", async () => {
    const h = await scoped(SCOPE);
    await expect(h.client.readResource({ uri: "pve://guests/103/config" })).rejects.toThrow(
      "guest 103 is outside this server's scope",
    );
    expect(touching(h, 103)).toEqual([]);
    const own = await h.client.readResource({ uri: "pve://guests/100/config" });
    const content = own.contents[0] as { text?: string } | undefined;
    expect(JSON.parse(content?.text ?? "{}").vmid).toBe(100);
  });

  test("another guest's task log is refused; the inventory resource shows only guests inside", async () => {
    const h = await scoped(SCOPE);
    const upid = h.mock.state.tasks.find((t) => t.id === "103")?.upid ?? "";
    await expect(
      h.client.readResource({ uri: `pve://tasks/${encodeURIComponent(upid)}/log` }),
    ).rejects.toThrow("guest 103 is outside");
    const listed = await h.client.listResources();
    const guests = listed.resources.filter((r) => r.uri.startsWith("pve://guests/"));
    expect(guests.length).toBeGreaterThan(0);
    for (const r of guests) expect(r.uri).toMatch(/^pve:\/\/guests\/10[01]\//);
  });

  test("completion of vmids offers only guests inside", async () => {
    const h = await scoped(SCOPE);
    const done = await h.client.complete({
      ref: { type: "ref/resource", uri: "pve://guests/{vmid}/config" },
      argument: { name: "vmid", value: "" },
    });
    expect(done.completion.values).toEqual(["100", "101"]);
  });
});

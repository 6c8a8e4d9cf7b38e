// Access tools through a real MCP client against the mock: users (passwords never echoed),
// roles, ACLs, the credentials' own permissions, and a 403 that teaches.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const SECRET = "Tr1cky-Passw0rd!";

/** alice@pve, as create_user leaves her. */
async function createAlice(): Promise<void> {
  await h.ok("create_user", { userid: "alice@pve", password: SECRET, firstname: "Alice" });
  h.mock.requests.length = 0;
}

describe("users", () => {
  test("create_user sets the password in the create call and never echoes it", async () => {
    h.mock.requests.length = 0;
    const r = await h.call("create_user", {
      userid: "alice@pve",
      password: SECRET,
      email: "alice@example.com",
      firstname: "Alice",
      groups: [],
      enable: true,
    });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r.content)).not.toContain(SECRET);
    expect(JSON.stringify(r.structuredContent)).not.toContain(SECRET);
    expect(r.structuredContent).toMatchObject({ userid: "alice@pve", password_set: true });
    expect(h.writes().map((w) => `${w.method} ${w.path}`)).toEqual(["POST /access/users"]);
    expect(h.mock.state.users.get("alice@pve")).toMatchObject({
      password: SECRET,
      email: "alice@example.com",
      enable: true,
    });
  });

  test("a second create is PVE's error; a pam user without Linux account is explained", async () => {
    await createAlice();
    expect(await h.fails("create_user", { userid: "alice@pve" })).toContain(
      "create user failed: user 'alice@pve' already exists",
    );
    const pam = await h.fails("create_user", { userid: "bob@pam", password: SECRET });
    expect(pam).toContain("bob@pam was not created");
    expect(pam).toContain("realm pve");
    expect(pam).not.toContain(SECRET);
    expect(h.mock.state.users.has("bob@pam")).toBe(false);
  });

  test("a short password or a bad user id never leaves", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("create_user", { userid: "carol@pve", password: "short" });
    expect(text).toContain("password");
    expect(text).not.toContain("short");
    await h.fails("create_user", { userid: "no-realm" });
    expect(h.mock.requests).toEqual([]);
  });

  test("list_users shows users and token ids", async () => {
    await createAlice();
    const r = await h.ok<{
      users: { userid: string; enabled: boolean; name?: string; tokens?: string[] }[];
    }>("list_users");
    expect(r.users.map((u) => u.userid)).toEqual(["alice@pve", "auditor@pve", "root@pam"]);
    expect(r.users.find((u) => u.userid === "root@pam")?.tokens).toEqual(["root@pam!mcp"]);
    expect(r.users[0]).toMatchObject({ name: "Alice", enabled: true });
  });

  test("delete_user removes the user and its ACLs; the server's own user is refused", async () => {
    await createAlice();
    h.mock.state.acl.push({
      path: "/vms/100",
      ugid: "alice@pve",
      roleid: "PVEVMUser",
      propagate: true,
    });
    await h.ok("delete_user", { userid: "alice@pve" });
    expect(h.mock.state.users.has("alice@pve")).toBe(false);
    expect(h.mock.state.acl.some((a) => a.ugid === "alice@pve")).toBe(false);
    h.mock.requests.length = 0;
    expect(await h.fails("delete_user", { userid: "root@pam" })).toContain(
      "refusing to delete root@pam",
    );
    expect(h.writes()).toEqual([]);
    expect(await h.fails("delete_user", { userid: "ghost@pve" })).toContain(
      "no such user ('ghost@pve')",
    );
  });
});

describe("roles", () => {
  test("create, append, replace and delete a custom role", async () => {
    await h.ok("create_role", { roleid: "VMOperator", privs: "VM.Audit,VM.PowerMgmt" });
    expect(h.mock.state.dc.roles.get("VMOperator")).toEqual(["VM.Audit", "VM.PowerMgmt"]);
    await h.ok("update_role", { roleid: "VMOperator", privs: ["VM.Console"], append: 1 });
    expect(h.mock.state.dc.roles.get("VMOperator")).toEqual([
      "VM.Audit",
      "VM.Console",
      "VM.PowerMgmt",
    ]);
    await h.ok("update_role", { roleid: "VMOperator", privs: ["VM.Audit"] });
    expect(h.mock.state.dc.roles.get("VMOperator")).toEqual(["VM.Audit"]);
    const r = await h.ok<{ roles: Record<string, unknown>[] }>("list_roles", {
      custom_only: true,
    });
    expect(r.roles).toEqual([{ roleid: "VMOperator", special: false, privs: ["VM.Audit"] }]);
    await h.ok("delete_role", { roleid: "VMOperator" });
    expect(h.mock.state.dc.roles.has("VMOperator")).toBe(false);
  });

  test("PVE's refusals: built-in roles, reserved names, unknown privileges", async () => {
    expect(await h.fails("update_role", { roleid: "PVEAuditor", privs: "VM.Audit" })).toContain(
      "auto-generated role 'PVEAuditor' cannot be modified",
    );
    expect(await h.fails("create_role", { roleid: "PVEMine", privs: "VM.Audit" })).toContain(
      "cannot use role ID starting with the (case-insensitive) 'PVE' namespace",
    );
    expect(await h.fails("create_role", { roleid: "Bad", privs: "VM.Fly" })).toContain(
      "invalid privilege 'VM.Fly'",
    );
    expect(await h.fails("delete_role", { roleid: "Nope" })).toContain(
      "delete role failed: role 'Nope' does not exist",
    );
  });
});

describe("ACLs", () => {
  test("update_acl grants and revokes with the seed's 0/1 flags", async () => {
    h.mock.requests.length = 0;
    await h.ok("update_acl", {
      path: "/pool/lab",
      roles: "PVEVMUser",
      users: "auditor@pve",
      propagate: 0,
    });
    expect(h.writes()[0]?.params).toEqual({
      path: "/pool/lab",
      roles: "PVEVMUser",
      users: "auditor@pve",
      propagate: "0",
    });
    const listed = await h.ok<{ acls: Record<string, unknown>[] }>("list_acls", {
      path: "/pool/lab",
    });
    expect(listed.acls).toEqual([
      {
        path: "/pool/lab",
        type: "user",
        ugid: "auditor@pve",
        roleid: "PVEVMUser",
        propagate: false,
      },
    ]);
    await h.ok("update_acl", {
      path: "/pool/lab",
      roles: ["PVEVMUser"],
      users: ["auditor@pve"],
      delete: 1,
    });
    expect(h.mock.state.acl.some((a) => a.path === "/pool/lab")).toBe(false);
  });

  test("unknown roles, invalid paths and missing subjects", async () => {
    expect(
      await h.fails("update_acl", { path: "/vms/100", roles: "Ghost", users: "auditor@pve" }),
    ).toContain("ACL update failed: role 'Ghost' does not exist");
    expect(
      await h.fails("update_acl", { path: "/nowhere", roles: "PVEAuditor", users: "auditor@pve" }),
    ).toContain("invalid ACL path '/nowhere'");
    h.mock.requests.length = 0;
    expect(await h.fails("update_acl", { path: "/", roles: "PVEAuditor" })).toContain(
      "no one to grant to",
    );
    expect(h.mock.requests).toEqual([]);
  });
});

describe("whoami and 403s", () => {
  test("whoami names the token and its privileges", async () => {
    const r = await h.ok<{
      identity: string;
      auth: string;
      privilege_separation: boolean;
      permissions: { paths: string[]; privs: string[] }[];
    }>("whoami", { path: "/vms/100" });
    expect(r).toMatchObject({
      identity: "root@pam!mcp",
      auth: "token",
      privilege_separation: false,
    });
    expect(r.permissions[0]?.paths).toEqual(["/vms/100"]);
    expect(r.permissions[0]?.privs).toContain("VM.PowerMgmt");
  });

  test("whoami groups the paths that share one set of privileges, within 3 KB", async () => {
    const r = await h.call("whoami");
    const s = r.structuredContent as { permissions: { paths: string[]; privs: string[] }[] };
    const sets = s.permissions.map((p) => p.privs.join(","));
    expect(new Set(sets).size).toBe(sets.length);
    expect(s.permissions[0]?.paths).toEqual(expect.arrayContaining(["/", "/vms", "/storage"]));
    const text = (r.content[0] as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain("VM.{Allocate,Audit,");
    expect(text).toContain("Sys.{AccessNetwork,Audit,Console,");
  });

  test("a privilege-separated token: whoami shows its own grants; a 403 says what is missing", async () => {
    const token = h.mock.state.tokens[0];
    if (!token) throw new Error("no token");
    token.privsep = true;
    h.mock.state.acl.push({
      path: "/",
      ugid: "root@pam!mcp",
      roleid: "PVEAuditor",
      propagate: true,
    });
    try {
      const me = await h.ok<{
        privilege_separation: boolean;
        permissions: { paths: string[]; privs: string[] }[];
      }>("whoami");
      expect(me.privilege_separation).toBe(true);
      const root = me.permissions.find((p) => p.paths.includes("/"));
      expect(root?.privs).toContain("Sys.Audit");
      expect(root?.privs).not.toContain("Pool.Allocate");
      const text = await h.fails("create_pool", { poolid: "ci" });
      expect(text).toContain("403 Permission check failed (/pool/ci, Pool.Allocate)");
      expect(text).toContain("grant it to the token itself");
      expect(h.mock.state.pools.has("ci")).toBe(false);
    } finally {
      token.privsep = false;
      h.mock.state.acl = h.mock.state.acl.filter((a) => a.ugid !== "root@pam!mcp");
    }
  });
});

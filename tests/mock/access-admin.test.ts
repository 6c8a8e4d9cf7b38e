// Users, roles, ACLs, effective permissions and pools on the wire: PVE's checks and messages.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, raw, type Session, startTestMock } from "./helpers.ts";

let mock: MockServer;
let root: Session;
let auditor: Session;
beforeEach(async () => {
  mock = await startTestMock();
  root = await login(mock);
  auditor = await login(mock, mock.credentials.auditorUser, mock.credentials.auditorPassword);
});
afterEach(() => mock.stop());

const token = (method: string, path: string) =>
  raw(mock, method, path, {
    headers: {
      Authorization: `PVEAPIToken=${mock.credentials.tokenId}=${mock.credentials.tokenSecret}`,
    },
  });

describe("users", () => {
  test("create validates the user id and password length as the schema does", async () => {
    const bad = await root.call("POST", "/access/users", { userid: "x", password: "1234" });
    expect(bad.json.errors).toEqual({
      userid: "invalid format - user name 'x' is too short\n",
      password: "value must be at least 8 characters long",
    });
  });

  test("the auditor may not create users: Realm.AllocateUser on the realm", async () => {
    const res = await auditor.call("POST", "/access/users", { userid: "eve@pve" });
    expect([res.status, res.reason]).toEqual([
      403,
      "Permission check failed (/access/realm/pve, Realm.AllocateUser)",
    ]);
  });

  test("deleting a user who is not there: root@pam skips the check, a token does not", async () => {
    expect((await root.call("DELETE", "/access/users/ghost@pve")).status).toBe(200);
    const res = await token("DELETE", "/access/users/ghost@pve");
    expect([res.status, res.reason]).toEqual([500, "no such user ('ghost@pve')"]);
  });

  test("a user sees only itself without User.Modify or Sys.Audit on /access/groups", async () => {
    await root.call("POST", "/access/users", { userid: "dave@pve", password: "dave-password" });
    const dave = await login(mock, "dave@pve", "dave-password");
    const res = await dave.call("GET", "/access/users");
    expect(res.json.data.map((u: { userid: string }) => u.userid)).toEqual(["dave@pve"]);
    const perms = await dave.call("GET", "/access/permissions");
    expect(perms.json.data).toEqual({});
    const other = await dave.call("GET", "/access/permissions", { userid: "root@pam" });
    expect(other.reason).toBe("Permission check failed (/access, Sys.Audit)");
  });

  test("permissions of a path: privilege → 1", async () => {
    const res = await auditor.call("GET", "/access/permissions", { path: "/vms/100" });
    expect(res.json.data["/vms/100"]["VM.Audit"]).toBe(1);
    expect(res.json.data["/vms/100"]["VM.PowerMgmt"]).toBeUndefined();
  });

  test("token info: privsep as 0/1; unknown token", async () => {
    const res = await token("GET", "/access/users/root@pam/token/mcp");
    expect(res.json.data).toEqual({ privsep: 0, expire: 0 });
    const none = await token("GET", "/access/users/root@pam/token/other");
    expect(none.reason).toBe("no such token 'other' for user 'root@pam'");
  });
});

describe("roles and ACLs", () => {
  test("roles list built-ins as special", async () => {
    const res = await root.call("GET", "/access/roles");
    const admin = res.json.data.find((r: { roleid: string }) => r.roleid === "Administrator");
    expect(admin.special).toBe(1);
    expect(admin.privs.split(",")).toContain("Sys.Modify");
  });

  test("ACL changes need Permissions.Modify (or the object's allocate privilege)", async () => {
    const res = await auditor.call("PUT", "/access/acl", {
      path: "/vms/100",
      roles: "PVEVMUser",
      users: "auditor@pve",
    });
    expect([res.status, res.reason]).toEqual([
      403,
      "Permission check failed (/vms/100, Permissions.Modify|VM.Allocate)",
    ]);
  });

  test("no subject is a 400 on all three parameters", async () => {
    const res = await root.call("PUT", "/access/acl", { path: "/", roles: "PVEAuditor" });
    const msg = "either 'users', 'groups' or 'tokens' is required.";
    expect(res.json.errors).toEqual({ users: msg, groups: msg, tokens: msg });
  });

  test("a granted role takes effect at once", async () => {
    await root.call("POST", "/access/users", { userid: "dave@pve", password: "dave-password" });
    await root.call("PUT", "/access/acl", {
      path: "/vms/101",
      roles: "PVEVMUser",
      users: "dave@pve",
    });
    const res = await root.call("GET", "/access/permissions", {
      userid: "dave@pve",
      path: "/vms/101",
    });
    expect(Object.keys(res.json.data["/vms/101"])).toContain("VM.PowerMgmt");
  });
});

describe("pools", () => {
  test("type needs poolid; names are checked", async () => {
    const res = await root.call("GET", "/pools", { type: "qemu" });
    expect(res.json.errors).toEqual({ poolid: "parameter 'poolid' is required by 'type'" });
    const bad = await root.call("POST", "/pools", { poolid: "a/b/c/d" });
    expect(bad.json.errors).toEqual({
      poolid: "invalid format - pool name 'a/b/c/d' nested too deeply (max levels = 3)\n",
    });
    const digit = await root.call("POST", "/pools", { poolid: "9lives" });
    expect(digit.reason).toBe("create pool failed: pool name must start with a letter");
  });

  test("a pool with members is not deleted", async () => {
    const res = await root.call("DELETE", "/pools", { poolid: "prod" });
    expect(res.reason).toBe("delete pool failed: pool 'prod' is not empty (contains VM 100)");
  });
});

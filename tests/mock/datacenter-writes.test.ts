// Writes beyond the tools' needs, each checked by reading it back as PVE answers it: a user's
// settings and groups, passwords, pools by id, datacenter options, a node's DNS, hosts and time.
import { describe, expect, test } from "bun:test";
import { freshCluster, login, raw } from "./helpers.ts";

const cluster = freshCluster();

describe("users and groups", () => {
  test("a user's settings and groups are written and read back", async () => {
    const { root } = cluster;
    await root.call("POST", "/access/groups", { groupid: "ops", comment: "Operators" });
    const put = await root.call("PUT", "/access/users/auditor@pve", {
      firstname: "Ada",
      email: "ada@demo.lan",
      groups: "ops",
    });
    expect(put.status).toBe(200);
    const user = (await root.call("GET", "/access/users/auditor@pve")).json.data;
    expect(user).toMatchObject({
      firstname: "Ada",
      email: "ada@demo.lan",
      groups: ["ops"],
      enable: 1,
    });
    const group = (await root.call("GET", "/access/groups/ops")).json.data;
    expect(group).toEqual({ comment: "Operators", members: ["auditor@pve"] });
    const unknown = await root.call("PUT", "/access/users/auditor@pve", { groups: "nope" });
    expect(unknown.reason).toBe("update user failed: no such group 'nope'");
    const append = await root.call("PUT", "/access/users/auditor@pve", { append: 1 });
    expect(append.json.errors).toEqual({ groups: "missing property required by 'append'" });
  });

  test("a group's ACL reaches its members", async () => {
    const { mock, root } = cluster;
    await root.call("POST", "/access/users", { userid: "dave@pve", password: "dave-password" });
    await root.call("POST", "/access/groups", { groupid: "vmops" });
    await root.call("PUT", "/access/users/dave@pve", { groups: "vmops" });
    const acl = await root.call("PUT", "/access/acl", {
      path: "/vms/100",
      roles: "PVEVMUser",
      groups: "vmops",
    });
    expect(acl.status).toBe(200);
    const dave = await login(mock, "dave@pve", "dave-password");
    expect((await dave.call("POST", "/nodes/pve1/qemu/100/status/reboot")).status).toBe(200);
    expect((await dave.call("POST", "/nodes/pve1/qemu/101/status/reboot")).status).toBe(403);
  });

  test("a password change: the new one logs in, the old one no more", async () => {
    const { mock, root } = cluster;
    await root.call("POST", "/access/users", { userid: "erin@pve", password: "first-password" });
    const erin = await login(mock, "erin@pve", "first-password");
    const wrong = await erin.call("PUT", "/access/password", {
      userid: "erin@pve",
      password: "second-password",
      "confirmation-password": "not-it",
    });
    expect([wrong.status, wrong.reason]).toEqual([401, "authentication failure"]);
    const ok = await erin.call("PUT", "/access/password", {
      userid: "erin@pve",
      password: "second-password",
      "confirmation-password": "first-password",
    });
    expect(ok.status).toBe(200);
    await expect(login(mock, "erin@pve", "first-password")).rejects.toThrow("401");
    expect((await login(mock, "erin@pve", "second-password")).ticket).toStartWith("PVE:erin@pve:");
    const token = await raw(mock, "PUT", "/access/password", {
      headers: {
        Authorization: `PVEAPIToken=${mock.credentials.tokenId}=${mock.credentials.tokenSecret}`,
      },
    });
    expect(token.reason).toBe(
      "URI '/access/password' not available with API token, need proper ticket.",
    );
  });
});

describe("pools by id", () => {
  test("read, change and delete a pool with its id in the path", async () => {
    const { root } = cluster;
    await root.call("POST", "/pools", { poolid: "staging" });
    const put = await root.call("PUT", "/pools/staging", { comment: "Staging", vms: "103" });
    expect(put.status).toBe(200);
    const pool = (await root.call("GET", "/pools/staging")).json.data;
    expect(pool.comment).toBe("Staging");
    expect(pool.members.map((m: { vmid: number }) => m.vmid)).toEqual([103]);
    const busy = await root.call("DELETE", "/pools/staging");
    expect(busy.reason).toBe("delete pool failed: pool 'staging' is not empty (contains VM 103)");
    await root.call("PUT", "/pools/staging", { vms: "103", delete: 1 });
    expect((await root.call("DELETE", "/pools/staging")).status).toBe(200);
    expect((await root.call("GET", "/pools/staging")).reason).toBe("pool 'staging' does not exist");
  });
});

describe("datacenter options", () => {
  test("property strings are checked when written and parsed when read", async () => {
    const { root } = cluster;
    const bad = await root.call("PUT", "/cluster/options", { migration: "type=fast" });
    expect(bad.json.errors.migration).toContain(
      "migration.type: value 'fast' does not have a value in the enumeration 'secure, insecure'",
    );
    const ok = await root.call("PUT", "/cluster/options", {
      migration: "insecure,network=10.0.9.0/24",
      keyboard: "de",
      delete: "console",
    });
    expect(ok.status).toBe(200);
    const options = (await root.call("GET", "/cluster/options")).json.data;
    expect(options.migration).toEqual({ type: "insecure", network: "10.0.9.0/24" });
    expect(options.keyboard).toBe("de");
    expect(options.console).toBeUndefined();
  });
});

describe("node settings", () => {
  test("DNS: servers not given are dropped, as resolv.conf is rewritten", async () => {
    const { root } = cluster;
    const put = await root.call("PUT", "/nodes/pve2/dns", { search: "lab.lan", dns1: "10.0.0.53" });
    expect(put.status).toBe(200);
    expect((await root.call("GET", "/nodes/pve2/dns")).json.data).toEqual({
      search: "lab.lan",
      dns1: "10.0.0.53",
    });
    const bad = await root.call("PUT", "/nodes/pve2/dns", { search: "x", dns1: "999.1.1.1" });
    expect(bad.json.errors).toEqual({
      dns1: "invalid format - value does not look like a valid IP address\n",
    });
  });

  test("hosts: written with the digest it was read with, refused with a stale one", async () => {
    const { root } = cluster;
    const read = (await root.call("GET", "/nodes/pve1/hosts")).json.data;
    const data = `${read.data}10.0.0.99 extra.demo.lan extra\n`;
    expect(
      (await root.call("POST", "/nodes/pve1/hosts", { data, digest: read.digest })).status,
    ).toBe(200);
    expect((await root.call("GET", "/nodes/pve1/hosts")).json.data.data).toBe(data);
    const stale = await root.call("POST", "/nodes/pve1/hosts", { data, digest: read.digest });
    expect(stale.reason).toBe("hosts file changed by other user - try again");
  });

  test("time zone: set, read back with the local time it implies", async () => {
    const { root } = cluster;
    expect((await root.call("PUT", "/nodes/pve3/time", { timezone: "UTC" })).status).toBe(200);
    const time = (await root.call("GET", "/nodes/pve3/time")).json.data;
    expect(time.timezone).toBe("UTC");
    expect(time.localtime).toBe(time.time);
    const bad = await root.call("PUT", "/nodes/pve3/time", { timezone: "Mars/Olympus" });
    expect(bad.json.errors).toEqual({
      timezone: "invalid format - invalid time zone 'Mars/Olympus'\n",
    });
  });
});

// Single-file restore: PBS snapshots only (400 on other storages), archives first, then the
// file tree inside, paths base64-encoded as proxmox-file-restore takes them.
import { expect, test } from "bun:test";
import { freshCluster } from "./helpers.ts";

const cluster = freshCluster();
const b64 = (p: string) => Buffer.from(p).toString("base64");

test("browse a PBS snapshot; other storages are refused", async () => {
  const { mock, root } = cluster;
  await root.call("POST", "/storage", {
    storage: "pbs1",
    type: "pbs",
    server: "10.0.0.60",
    datastore: "store1",
    username: "backup@pbs",
  });
  const volume = "pbs1:backup/ct/200/2026-11-20T01:02:11Z";
  mock.state.volumes.push({
    storage: "pbs1",
    volid: volume,
    content: "backup",
    format: "pbs-ct",
    size: 2 ** 30,
    vmid: 200,
  });
  const list = (filepath: string, storage = "pbs1", vol = volume) =>
    root.call("GET", `/nodes/pve1/storage/${storage}/file-restore/list`, { volume: vol, filepath });
  const top = (await list("/")).json.data;
  expect(top).toEqual([
    { filepath: b64("/root.pxar.didx"), text: "root.pxar.didx", type: "v", leaf: 0 },
  ]);
  const etc = (await list(b64("/root.pxar.didx/etc"))).json.data;
  expect(etc.map((e: { text: string }) => e.text)).toEqual(["hostname", "hosts", "os-release"]);
  expect(etc[0]).toMatchObject({
    type: "f",
    leaf: 1,
    filepath: b64("/root.pxar.didx/etc/hostname"),
  });
  const nfs = await list(
    "/",
    "backups",
    "backups:backup/vzdump-lxc-200-2026_11_20-01_02_11.tar.zst",
  );
  expect(nfs.json.errors).toEqual({ storage: "Only PBS storages supported for file-restore." });
});

#!/usr/bin/python3
"""A foreign client's common flows against `proxmox-mcp mock`, with Debian's python3-proxmoxer
(1.2): ticket and token login, CSRF on writes, a start polled to its exit status, a config
change guarded by its digest, a snapshot, a clone, and a 400 that names the parameter.

Usage: proxmoxer_flow.py HOST PORT USER PASSWORD TOKEN_ID TOKEN_SECRET
Prints one line per step; exits 1 with the failed step's reason.
"""
import sys
import time

import requests
import urllib3
from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

urllib3.disable_warnings()

HOST, PORT, USER, PASSWORD, TOKEN_ID, TOKEN_SECRET = sys.argv[1:7]
BASE = f"https://{HOST}:{PORT}/api2/json"


def step(name, ok, detail=""):
    print(f"{'ok' if ok else 'FAILED'}: {name}{' - ' + str(detail) if detail else ''}", flush=True)
    if not ok:
        sys.exit(1)


def wait(px, upid, timeout=30):
    """Polls a task until it stops; returns its status (the exitstatus is there then)."""
    node = upid.split(":")[1]
    until = time.time() + timeout
    while time.time() < until:
        status = px.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status
        time.sleep(0.1)
    raise AssertionError(f"task {upid} did not end")


# Ticket login (POST /access/ticket); proxmoxer sends the CSRF token on every write.
px = ProxmoxAPI(HOST, port=PORT, user=USER, password=PASSWORD, verify_ssl=False)
version = px.version.get()
step("ticket login", version["version"] == "9.1.3", version)
nodes = sorted(n["node"] for n in px.nodes.get())
step("nodes", nodes == ["pve1", "pve2", "pve3"], nodes)

# Token login: no ticket, no CSRF, the token's tasks carry its id.
token_user, token_name = TOKEN_ID.split("!")
tx = ProxmoxAPI(
    HOST, port=PORT, user=token_user, token_name=token_name, token_value=TOKEN_SECRET, verify_ssl=False
)
resources = tx.cluster.resources.get(type="vm")
step("token login", any(r["vmid"] == 100 for r in resources), f"{len(resources)} guests")

# A write with the ticket but without the CSRF token is refused.
ticket = px._store["session"].auth.pve_auth_ticket
bare = requests.post(
    f"{BASE}/nodes/pve2/qemu/102/status/start",
    cookies={"PVEAuthCookie": ticket},
    verify=False,
)
step("CSRF required on writes", (bare.status_code, bare.reason) == (401, "Permission denied - invalid csrf token"), bare.reason)

# Start a stopped VM and poll its task until it stops with exitstatus OK.
upid = px.nodes("pve2").qemu(102).status.start.post()
step("start gives a UPID", upid.startswith("UPID:pve2:") and ":qmstart:102:" in upid, upid)
status = wait(px, upid)
step("start task ends OK", status["exitstatus"] == "OK", status)
current = px.nodes("pve2").qemu(102).status.current.get()
step("VM running", current["status"] == "running", current["status"])

# Config GET, then PUT guarded by the digest it was read with; a stale digest is refused.
config = px.nodes("pve2").qemu(102).config.get()
px.nodes("pve2").qemu(102).config.put(cores=6, digest=config["digest"])
changed = px.nodes("pve2").qemu(102).config.get()
step("config PUT with digest", changed["cores"] == 6 or changed.get("cores") == 6, changed.get("cores"))
try:
    px.nodes("pve2").qemu(102).config.put(cores=8, digest=config["digest"])
    step("stale digest refused", False, "accepted")
except ResourceException as e:
    step("stale digest refused", e.status_code == 500 and "checksum mismatch" in str(e), e)

# A snapshot, listed afterwards.
upid = px.nodes("pve1").qemu(100).snapshot.post(snapname="proxmoxer", description="from python")
step("snapshot task ends OK", wait(px, upid)["exitstatus"] == "OK")
names = [s["name"] for s in px.nodes("pve1").qemu(100).snapshot.get()]
step("snapshot listed", "proxmoxer" in names, names)

# A clone of the template, with its own task, then the new VM's config.
upid = px.nodes("pve3").qemu(104).clone.post(newid=160, name="from-proxmoxer")
step("clone task ends OK", wait(px, upid)["exitstatus"] == "OK")
clone = px.nodes("pve3").qemu(160).config.get()
step("clone config", clone["name"] == "from-proxmoxer", clone["name"])

# A 400 names the bad parameter (proxmoxer 1.2 drops `errors`, so the body is read as well).
try:
    px.nodes("pve2").qemu(102).config.put(net3="nosuchmodel,bridge=vmbr0")
    step("400 for a bad NIC model", False, "accepted")
except ResourceException as e:
    step("400 for a bad NIC model", e.status_code == 400 and "Parameter verification failed" in str(e), e)
session = px._store["session"]
body = session.request("PUT", f"{BASE}/nodes/pve2/qemu/102/config", data={"net3": "nosuchmodel,bridge=vmbr0"}).json()
errors = body.get("errors") or {}
step("errors names the parameter", "net3.model" in errors.get("net3", ""), errors)

print("proxmoxer flow passed", flush=True)

// The views in a real browser (Debian's chromium, through playwright-core): a host page built on
// ext-apps' AppBridge shows them from our HTTP server on the simulated cluster. What a person
// sees is checked against the mock's state, actions against the mock's state and request log.
// Without chromium a developer gets a printed reason and a skip; CI (CI=true) fails instead.

import { afterEach, expect, test } from "bun:test";
import type { Frame, Page } from "playwright-core";
import { storageUsage } from "../../src/mock/state.ts";
import { describeUnlessMissing } from "../support/installed.ts";
import {
  browserMissing,
  type OpenedView,
  type OpenOptions,
  startViewHost,
  type ViewHost,
  type ViewHostOptions,
} from "./support/view-host.ts";

/** Each test starts its own cluster, server and browser. */
const TIMEOUT = 60_000;

/** Without chromium, a developer's run skips saying why; CI runs them anyway, so they fail. */
const missing = process.env.CI ? undefined : browserMissing();
const suite = (name: string, body: () => void) => describeUnlessMissing(missing, name, body);

let host: ViewHost | undefined;
let opened: OpenedView | undefined;
afterEach(async () => {
  // Whatever a test did, the page and the view logged no error.
  const errors = opened?.errors ?? [];
  opened = undefined;
  await host?.close();
  host = undefined;
  expect(errors).toEqual([]);
});

async function show(options: OpenOptions, hostOptions: ViewHostOptions = {}): Promise<OpenedView> {
  host = await startViewHost(hostOptions);
  opened = await host.open(options);
  return opened;
}

const row = (view: Frame, vmid: number) => view.locator(`[role=row][data-vmid="${vmid}"]`);
const hostState = <T>(page: Page, key: string) =>
  page.evaluate(
    (k) => (globalThis as unknown as { host: Record<string, unknown> }).host[k],
    key,
  ) as Promise<T>;

suite("the cluster view", () => {
  test(
    "shows the nodes, guests and storage bars with the simulated values",
    async () => {
      const { view, page } = await show({ tool: "show_cluster" });
      const mock = host?.mock;
      if (!mock) throw new Error("no mock");
      await row(view, 100).waitFor();
      expect(await view.locator(".node h3").allTextContents()).toEqual(["pve1", "pve2", "pve3"]);
      const pve1 = mock.state.nodes.get("pve1");
      const cpu = view.locator('[data-node="pve1"] .usage').first();
      expect(Number(await cpu.getAttribute("data-percent"))).toBeCloseTo((pve1?.cpu ?? 0) * 100, 1);
      expect(await row(view, 100).textContent()).toContain("web-01");
      expect(await row(view, 201).getAttribute("data-status")).toBe("stopped");
      expect(await view.locator(".guests .count").textContent()).toBe(
        `${mock.state.guests.size} guests`,
      );
      const lvm = mock.state.storages.get("local-lvm");
      if (!lvm) throw new Error("no local-lvm");
      const used = storageUsage(mock.state)(lvm, "pve2") / lvm.total;
      const bar = view.locator('.storage[data-storage="local-lvm"][data-node="pve2"] .usage');
      expect(Number(await bar.getAttribute("data-percent"))).toBeCloseTo(used * 100, 1);
      // Sparklines come for the rows on screen, in one call.
      await row(view, 100).locator(".spark-line").first().waitFor({ state: "attached" });
      const calls = await hostState<{ name: string }[]>(page, "calls");
      expect(calls.map((c) => c.name)).toEqual(["view_cluster", "view_trends"]);
    },
    TIMEOUT,
  );

  test(
    "a change in the cluster shows on the next refresh",
    async () => {
      const { view } = await show({ tool: "show_cluster" });
      await row(view, 201).waitFor();
      expect(await row(view, 201).getAttribute("data-status")).toBe("stopped");
      const c = host?.mock.credentials;
      const started = await fetch(`${host?.mock.url}/api2/json/nodes/pve2/lxc/201/status/start`, {
        method: "POST",
        headers: { Authorization: `PVEAPIToken=${c?.tokenId}=${c?.tokenSecret}` },
      });
      expect(started.status).toBe(200);
      await waitUntil(() => host?.mock.state.guests.get(201)?.status === "running");
      await view.getByRole("button", { name: "Refresh now" }).click();
      await view.locator('[role=row][data-vmid="201"][data-status="running"]').waitFor();
    },
    TIMEOUT,
  );

  test(
    "a stop from the view asks the person; declined, nothing changes",
    async () => {
      const { view, page } = await show({ tool: "show_cluster" });
      const mock = host?.mock;
      await row(view, 100).locator('[data-action="stop"]').click();
      const question = page.locator("#confirm .question");
      await question.waitFor();
      expect(await question.textContent()).toContain("stop_vm");
      expect(await question.textContent()).toContain('VM 100 "web-01" on pve1');
      await page.locator('#confirm button[value="decline"]').click();
      await view.locator('.notice[data-kind="declined"]').waitFor();
      expect(await view.locator(".notice strong").textContent()).toContain("nothing was changed");
      expect(mock?.state.guests.get(100)?.status).toBe("running");
      expect(mock?.requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([]);
      expect(await hostState(page, "asked")).toEqual([
        { message: expect.stringContaining("stop_vm"), answer: "decline" },
      ]);
    },
    TIMEOUT,
  );

  test(
    "allowed actions run through the same tools: start, shutdown, snapshot, console",
    async () => {
      const { view, page } = await show({ tool: "show_cluster" });
      const mock = host?.mock;
      // Starting loses nothing: no question.
      await row(view, 201).locator('[data-action="start"]').click();
      await view.locator('.notice[data-kind="ok"]').waitFor();
      expect(mock?.state.guests.get(201)?.status).toBe("running");
      // Shutting down is asked, and allowed.
      await row(view, 200).locator('[data-action="shutdown"]').click();
      await page.locator('#confirm button[value="allow"]').click();
      await waitUntil(() => mock?.state.guests.get(200)?.status === "stopped");
      // A snapshot named in the view's form.
      await row(view, 100).locator('[data-action="snapshot"]').click();
      await view.getByLabel("Snapshot name").fill("from-view");
      await view.getByRole("button", { name: "Take snapshot" }).click();
      await waitUntil(() =>
        mock?.state.guests.get(100)?.snapshots.some((s) => s.name === "from-view"),
      );
      // The console link goes to the host to open.
      await row(view, 100).locator('[data-action="console"]').click();
      await waitUntil(async () => (await hostState<string[]>(page, "opened")).length > 0);
      expect((await hostState<string[]>(page, "opened"))[0]).toContain("vmid=100");
      const calls = (await hostState<{ name: string }[]>(page, "calls")).map((c) => c.name);
      expect(calls).toEqual(
        expect.arrayContaining(["start_vm", "shutdown_vm", "snapshot_vm", "get_console_url"]),
      );
    },
    TIMEOUT,
  );

  test(
    "a guest's row opens the guest in place, and back returns to the cluster",
    async () => {
      const { view } = await show({ tool: "show_cluster" });
      await row(view, 101).click();
      const panel = view.locator('.guest-panel[data-vmid="101"]');
      await panel.waitFor();
      expect(await panel.locator("h2").textContent()).toBe("VM 101 db-01");
      expect(await panel.locator("table.simple").first().textContent()).toContain("200G");
      await view.getByRole("button", { name: "Back to the cluster" }).click();
      await row(view, 101).waitFor();
    },
    TIMEOUT,
  );

  test(
    "follows the host's theme",
    async () => {
      const { view, page } = await show({ tool: "show_cluster", theme: "dark" });
      await row(view, 100).waitFor();
      // Runs in the view: the browser's own globals, reached without the DOM types here.
      const background = () =>
        view.evaluate(() => {
          const w = globalThis as unknown as {
            getComputedStyle(e: unknown): { backgroundColor: string };
            document: { body: unknown };
          };
          return w.getComputedStyle(w.document.body).backgroundColor;
        });
      expect(await background()).toBe("rgb(22, 24, 29)");
      await page.evaluate(() =>
        (globalThis as unknown as { host: { setTheme(t: string): void } }).host.setTheme("light"),
      );
      await waitUntil(async () => (await background()) === "rgb(255, 255, 255)");
    },
    TIMEOUT,
  );

  test(
    "follows the host's size: grows to its content, or fills a fixed height and scrolls inside",
    async () => {
      const { view, page } = await show({ tool: "show_cluster" });
      await row(view, 100).waitFor();
      const content = await view.evaluate(
        () =>
          (globalThis as unknown as { document: { body: { scrollHeight: number } } }).document.body
            .scrollHeight,
      );
      await waitUntil(async () => (await page.locator("iframe").boundingBox())?.height === content);
      await page.close();
      const fixed = await host?.open({ tool: "show_cluster", fixedHeight: 420 });
      if (!fixed) throw new Error("no host");
      opened = fixed;
      await row(fixed.view, 100).waitFor();
      expect((await fixed.page.locator("iframe").boundingBox())?.height).toBe(420);
      // The view fills the frame and scrolls inside it (its body), instead of growing.
      const root = await fixed.view.evaluate(() => {
        const d = (
          globalThis as unknown as {
            document: {
              documentElement: { className: string };
              body: { scrollHeight: number; clientHeight: number };
            };
          }
        ).document;
        return {
          fixed: d.documentElement.className.includes("fixed-height"),
          scrolls: d.body.scrollHeight > d.body.clientHeight,
        };
      });
      expect(root).toEqual({ fixed: true, scrolls: true });
    },
    TIMEOUT,
  );

  test(
    "without elicitation the server's request for confirmation is shown, never given",
    async () => {
      const { view, page } = await show({ tool: "show_cluster", elicitation: false });
      await row(view, 100).locator('[data-action="shutdown"]').click();
      await view.locator('.notice[data-kind="declined"]').waitFor();
      expect(await view.locator(".notice").textContent()).toContain("asks for confirmation");
      await view.getByRole("button", { name: "Ask the assistant to do it" }).click();
      await waitUntil(async () => (await hostState<unknown[]>(page, "messages")).length === 1);
      const calls = await hostState<{ name: string; arguments: Record<string, unknown> }[]>(
        page,
        "calls",
      );
      expect(calls.filter((c) => c.name === "shutdown_vm")).toEqual([
        { name: "shutdown_vm", arguments: { vmid: 100, type: "qemu" } },
      ]);
      expect(host?.mock.state.guests.get(100)?.status).toBe("running");
      expect(host?.mock.requests.filter((r) => r.method === "POST")).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    "a failed read is shown over the last good picture, and cleared when the cluster answers",
    async () => {
      const { view } = await show({ tool: "show_cluster" });
      // Once the sparklines are in, the next inventory read is the refresh's own.
      await row(view, 100).locator(".spark-line").first().waitFor({ state: "attached" });
      const mock = host?.mock;
      if (!mock) throw new Error("no mock");
      mock.faults.httpStatus = {
        status: 500,
        reason: "simulated failure",
        count: 1,
        path: "/cluster/resources",
      };
      await view.getByRole("button", { name: "Refresh now" }).click();
      await view.locator('.notice[data-kind="error"]').waitFor();
      expect(await view.locator(".notice").textContent()).toContain("simulated failure");
      expect(await row(view, 100).count()).toBe(1); // the last picture stays
      await view.getByRole("button", { name: "Refresh now" }).click();
      await view.locator(".notice").waitFor({ state: "hidden" });
    },
    TIMEOUT,
  );

  test(
    "1,000 guests: only the rows on screen exist, and filter and sort cover them all",
    async () => {
      const { view } = await show({ tool: "show_cluster" }, { mock: { guests: 1000 } });
      await row(view, 100).waitFor();
      expect(await view.locator(".guests .count").textContent()).toBe("1000 guests");
      expect(await view.locator(".g-body [role=row]").count()).toBeLessThan(40);
      await view.getByLabel("Filter guests").fill("vm-1300");
      await view.locator('.guests .count:text("1 of 1000 guests")').waitFor();
      expect(await view.locator(".g-body [role=row]").getAttribute("data-vmid")).toBe("1300");
      await view.getByLabel("Filter guests").fill("");
      await view.getByRole("button", { name: "Sort by Memory" }).click();
      await view.getByRole("button", { name: "Sort by Memory" }).click(); // descending
      // The rows on screen, highest memory share first: "64% · 2.5 GiB".
      const shares = (await view.locator(".g-body [role=row] .c-mem").allTextContents()).map((t) =>
        Number.parseFloat(t),
      );
      expect(shares.length).toBeGreaterThan(5);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
    },
    TIMEOUT,
  );
});

suite("the guest view", () => {
  test(
    "shows one guest: config, disks, NICs, charts, snapshots, tasks and their logs",
    async () => {
      const { view, page } = await show({ tool: "show_guest", args: { vmid: 100 } });
      const panel = view.locator('.guest-panel[data-vmid="100"]');
      await panel.waitFor();
      expect(await panel.locator("h2").textContent()).toBe("VM 100 web-01");
      expect(await panel.locator(".facts").textContent()).toContain("4096 MiB");
      expect(await panel.textContent()).toContain("local-lvm:vm-100-disk-0");
      expect(await panel.locator("path.line").count()).toBeGreaterThanOrEqual(4);
      await panel.getByRole("button", { name: "Week" }).click();
      await view.locator('.segment.active:text("Week")').waitFor();
      const calls = await hostState<{ name: string; arguments: Record<string, unknown> }[]>(
        page,
        "calls",
      );
      expect(calls.at(-1)).toEqual({
        name: "view_guest",
        arguments: { vmid: 100, timeframe: "week" },
      });
      const task = view.locator(".task").first();
      await task.getByRole("button", { name: "log" }).click();
      await waitUntil(async () =>
        ((await task.locator(".log").textContent()) ?? "").includes("TASK OK"),
      );
    },
    TIMEOUT,
  );
});

/** Polls until `check` holds; the bound (under each test's own) is for a loaded machine. */
async function waitUntil(check: () => unknown | Promise<unknown>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not reached within ${ms} ms: ${check}`);
    await Bun.sleep(25);
  }
}

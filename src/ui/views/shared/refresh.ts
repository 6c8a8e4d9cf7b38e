// Keeps a view current while a person can see it: every `ms`, never two at once, and not while
// the host hides the view (a background tab asks Proxmox for nothing).

export function startRefresh(ms: number, refresh: () => Promise<void>): { paused: boolean } {
  const state = { paused: false };
  let busy = false;
  setInterval(async () => {
    if (busy || state.paused || document.visibilityState === "hidden") return;
    busy = true;
    try {
      await refresh();
    } finally {
      busy = false;
    }
  }, ms);
  return state;
}

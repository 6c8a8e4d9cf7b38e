// Waits for a promise, or `ms` at most, leaving no timer behind either way: shutdowns and cancels
// wait for work in flight, but never forever.

export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let expire = () => {};
  const timeout = new Promise<undefined>((resolve) => {
    expire = () => resolve(undefined);
  });
  const timer = setTimeout(expire, ms);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// A warning the server has outside any one call (the start-up connection check failed) is told
// to every session connected now and to those that start within a minute: the check runs before
// a client has connected, and later sessions should not hear it forever. What happens during a
// call (a renewed ticket, an offline node) is that call's own log (pve/call-log.ts).

export type NoticeLevel = "info" | "warning" | "error";
type Listener = (level: NoticeLevel, message: string) => void;

const listeners = new Set<Listener>();

export function onNotice(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

interface Standing {
  level: NoticeLevel;
  message: string;
  until: number;
}

const standing: Standing[] = [];

/** Told to the sessions of now, and to those that start within `forMs`. */
export function standingNotice(level: NoticeLevel, message: string, forMs = 60_000): void {
  standing.push({ level, message, until: Date.now() + forMs });
  for (const listener of listeners) listener(level, message);
}

/** The standing notices still current, for a session that has just initialized. */
export function standingNotices(now = Date.now()): { level: NoticeLevel; message: string }[] {
  return standing.filter((n) => n.until > now).map(({ level, message }) => ({ level, message }));
}

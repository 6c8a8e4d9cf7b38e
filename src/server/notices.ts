// Things the Proxmox client notices outside any one call (a renewed ticket, an offline node) are
// broadcast to every connected MCP session as notifications/message.

export type NoticeLevel = "info" | "warning" | "error";
type Listener = (level: NoticeLevel, message: string) => void;

const listeners = new Set<Listener>();

export function onNotice(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function broadcastNotice(level: NoticeLevel, message: string): void {
  for (const listener of listeners) listener(level, message);
}

interface Standing {
  level: NoticeLevel;
  message: string;
  until: number;
}

const standing: Standing[] = [];

/**
 * Broadcast, and also told to sessions that start within `forMs` (a failed connection check at
 * start happens before the client has connected; later sessions should not hear it forever).
 */
export function standingNotice(level: NoticeLevel, message: string, forMs = 60_000): void {
  standing.push({ level, message, until: Date.now() + forMs });
  broadcastNotice(level, message);
}

/** The standing notices still current, for a session that has just initialized. */
export function standingNotices(now = Date.now()): { level: NoticeLevel; message: string }[] {
  return standing.filter((n) => n.until > now).map(({ level, message }) => ({ level, message }));
}

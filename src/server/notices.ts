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

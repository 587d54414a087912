// Watches what the signed-in person may do with the open document. The document socket
// applies a changed role, lock or archive within seconds, but says so only by refusing the
// next edit (viewers) or closing with 4403 (removed members); so the page asks the server
// every few seconds, and at once when an edit was refused, and re-mounts the document
// read-only (or writable) when the answer changes.

import type { Role } from "../context";

export interface DocumentAccess {
  canWrite: boolean;
  role: Role | null;
  isLocked: boolean;
  isArchived: boolean;
}

export interface AccessWatcher {
  /** Ask now (an edit was refused, or the page came back into view). */
  check(): void;
  stop(): void;
}

// Each role as it reads in a sentence, with its article ("an editor", never "a editor").
const ROLE_PHRASES: Record<Role, string> = { owner: "an owner", editor: "an editor", commenter: "a commenter", viewer: "a viewer" };

/** What to tell someone whose access to the open document just changed. */
export function accessNotice(next: DocumentAccess, previous: DocumentAccess): string {
  if (next.canWrite) return "You can edit this document again.";
  if (next.isArchived && !previous.isArchived) return "This room was archived: its documents are read-only now.";
  if (next.isLocked && !previous.isLocked) return "This document was locked: only the room's owners can change it now.";
  if (next.role !== previous.role) {
    const role = next.role ? ROLE_PHRASES[next.role] : "a visitor";
    return `Your role in this room changed: as ${role} you can read this document but not change it.`;
  }
  return "This document is read-only for you now.";
}

export function sameAccess(a: DocumentAccess, b: DocumentAccess): boolean {
  return a.canWrite === b.canWrite && a.role === b.role && a.isLocked === b.isLocked && a.isArchived === b.isArchived;
}

export function watchAccess(
  url: string,
  initial: DocumentAccess,
  onChange: (access: DocumentAccess, previous: DocumentAccess) => void,
  intervalMs = 3000,
): AccessWatcher {
  let current = initial;
  let stopped = false;
  let inFlight = false;
  const check = async () => {
    if (stopped || inFlight || !navigator.onLine || document.hidden) return;
    inFlight = true;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.status === 401 || response.status === 403 || response.status === 404) {
        stop(); // signed out or shut out: the socket's close code says so on the page
        return;
      }
      if (!response.ok) return;
      const next = (await response.json()) as DocumentAccess;
      if (!sameAccess(next, current)) {
        const previous = current;
        current = next;
        onChange(next, previous);
      }
    } catch {
      // offline or the server is restarting: the next round asks again
    } finally {
      inFlight = false;
    }
  };
  const timer = window.setInterval(() => void check(), intervalMs);
  const visible = () => {
    if (!document.hidden) void check();
  };
  document.addEventListener("visibilitychange", visible);
  const stop = () => {
    stopped = true;
    window.clearInterval(timer);
    document.removeEventListener("visibilitychange", visible);
  };
  return { check: () => void check(), stop };
}

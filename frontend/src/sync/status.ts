// Shows a live document's status (connecting, offline, saving, saved) in the page's status
// element, the same way for the editor and the whiteboard.

import type { DocumentConnection, SyncStatus } from "./connection";

const LABELS: Record<SyncStatus, string> = {
  connecting: "Connecting…",
  offline: "Offline · edits kept on this device",
  saving: "Saving…",
  saved: "Saved",
  live: "Up to date",
  too_large: "Too large to save · undo your last change (Ctrl+Z or ⌘Z)",
  closed: "Disconnected",
};

const HINTS: Partial<Record<SyncStatus, string>> = {
  offline: "Your edits are kept on this device and sent when the connection is back.",
  saving: "Sending your changes to the server.",
  saved: "Every change is stored on the server.",
  too_large:
    "The server refused your last change: it is over the size limit. Nothing you change is saved or seen by others until you undo it; your edits are kept on this device.",
};

export function bindStatus(connection: DocumentConnection, element: HTMLElement): () => void {
  return connection.onStatus((status) => {
    element.dataset.status = status;
    element.textContent = status === "closed" ? connection.closedReason : LABELS[status];
    element.title = HINTS[status] ?? "";
  });
}

// One live document: a Y.Doc kept in IndexedDB on this device and synced with the server
// over the y-websocket protocol, with a status the page shows (connecting, offline, saving,
// saved). Shared by the editor and, later, the whiteboard.

import { IndexeddbPersistence } from "y-indexeddb";
import * as authProtocol from "y-protocols/auth";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CommitTracker } from "./commits";
import { RefusedChange, shouldReconnect, TOO_LARGE_CODES } from "./too-large";

export type SyncStatus = "connecting" | "offline" | "saving" | "saved" | "live" | "too_large" | "closed";

export interface ConnectionOptions {
  socketUrl: string;
  documentId: string;
  userId: number;
  user: { name: string; color: string };
  canWrite: boolean;
}

// Close codes after which the y-websocket client gives up (docs/architecture.md, "Close
// codes"); 4413 and 1009, a refused change, are too-large.ts's.
const CLOSE_REASONS: Record<number, string> = {
  4400: "The server refused this connection. Reload the page.",
  4401: "You are signed out. Sign in again to keep working.",
  4403: "You no longer have access to this document.",
  4404: "This document no longer exists.",
};

// IndexedDB cannot hang the page: past this, the server's copy is used alone.
const LOCAL_LOAD_TIMEOUT_MS = 2000;
// After a refused change, local edits within this are measured together (typing, an undo).
const REFUSED_CHECK_DELAY_MS = 100;

export class DocumentConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly local: IndexeddbPersistence;
  readonly commits: CommitTracker;
  status: SyncStatus = "connecting";
  closedReason = "";
  private everSynced = false;
  private readonly refusal = new RefusedChange();
  private refusalTimer: number | undefined;
  private listeners = new Set<(status: SyncStatus) => void>();
  private deniedListeners = new Set<(reason: string) => void>();
  private readonly online = () => {
    if (!this.refusal.active) this.provider.connect();
  };
  private readonly offline = () => {
    // Browsers keep an open WebSocket through a lost network for a long time: drop it now,
    // so the page says offline and edits wait in IndexedDB.
    this.provider.disconnect();
    this.refresh();
  };

  constructor(private readonly options: ConnectionOptions) {
    this.local = new IndexeddbPersistence(`collab:${options.userId}:${options.documentId}`, this.doc);
    this.provider = new WebsocketProvider(options.socketUrl, options.documentId, this.doc, {
      connect: false,
      maxBackoffTime: 5000,
      shouldReconnect,
    });
    this.provider.awareness.setLocalStateField("user", options.user);
    this.provider.messageHandlers[2] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => this.denied(reason));
    };
    this.commits = new CommitTracker(this.provider, () => this.refresh());
    this.doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.local) {
        this.commits.localChange();
        if (this.refusal.active) this.checkRefusalSoon();
      }
    });
    this.provider.on("status", () => this.refresh());
    this.provider.on("sync", (synced: boolean) => {
      if (synced) this.everSynced = true;
      if (synced && this.options.canWrite) this.commits.synced();
      this.refresh();
    });
    this.provider.on("connection-close", (event: CloseEvent | null) => {
      // Recorded before the status is next computed, so it never shows "offline" meanwhile.
      if (event && TOO_LARGE_CODES.has(event.code)) this.refusal.refused(this.doc);
      this.commits.disconnected();
      this.refresh();
    });
    this.provider.on("closed", (event: { code: number; reason: string }) => {
      if (!TOO_LARGE_CODES.has(event.code)) {
        this.closedReason = CLOSE_REASONS[event.code] ?? `The connection closed (${event.code}).`;
      }
      this.refresh();
    });
    window.addEventListener("online", this.online);
    window.addEventListener("offline", this.offline);
    const loaded = Promise.race([
      this.local.whenSynced,
      new Promise((resolve) => window.setTimeout(resolve, LOCAL_LOAD_TIMEOUT_MS)),
    ]);
    void loaded.then(() => {
      if (navigator.onLine) this.provider.connect();
      this.refresh();
    });
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  /** After the server refused a change as too large, undoing it lets the document sync again:
   * ``undoManager``'s redo stack is then dropped, so that the refused content is not sent. */
  trackUndo(undoManager: Y.UndoManager): void {
    this.refusal.track(undoManager);
  }

  /** Called when the server refuses a write (the document became read-only). */
  onDenied(listener: (reason: string) => void): () => void {
    this.deniedListeners.add(listener);
    return () => this.deniedListeners.delete(listener);
  }

  /** Disconnects and closes the local copy; with ``forgetLocalCopy`` also deletes it from
   * IndexedDB (edits the server refused must not come back on the next visit). */
  async destroy({ forgetLocalCopy = false } = {}): Promise<void> {
    window.removeEventListener("online", this.online);
    window.removeEventListener("offline", this.offline);
    window.clearTimeout(this.refusalTimer);
    this.commits.destroy();
    this.provider.destroy();
    if (forgetLocalCopy) await this.local.clearData();
    else await this.local.destroy();
    this.doc.destroy();
  }

  private checkRefusalSoon(): void {
    window.clearTimeout(this.refusalTimer);
    this.refusalTimer = window.setTimeout(() => {
      // Connect again only once what would be sent shrank below what was refused: never a loop.
      if (this.refusal.shrank(this.doc)) {
        this.refresh();
        if (navigator.onLine) this.provider.connect();
      }
    }, REFUSED_CHECK_DELAY_MS);
  }

  private denied(reason: string): void {
    for (const listener of this.deniedListeners) listener(reason);
  }

  private refresh(): void {
    const status = this.computeStatus();
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }

  private computeStatus(): SyncStatus {
    if (this.closedReason) return "closed";
    if (this.refusal.active) return "too_large";
    const { provider } = this;
    if (provider.wsconnected && provider.synced) {
      if (!this.options.canWrite) return "live";
      return this.commits.pending ? "saving" : "saved";
    }
    // Before the first sync the page is connecting; after losing the connection it is
    // offline (and retrying in the background) until it is back.
    if (!navigator.onLine || this.everSynced) return "offline";
    return "connecting";
  }
}

// A change the server refused as too large: 4413 from Collab, or 1009 from the web server when
// a frame is past even its own cap (docs/architecture.md, "Close codes"). Reconnecting would
// send the same update again and be refused again, so the connection waits until what it
// would send has shrunk: the person undid the change.

import * as Y from "yjs";

export const TOO_LARGE_CODES: ReadonlySet<number> = new Set([4413, 1009]);

/** y-websocket's own rule (never after 4400 to 4499, which retrying cannot fix), and never
 * after 1009 either. */
export function shouldReconnect(event: { code: number }): boolean {
  return !(event.code >= 4400 && event.code < 4500) && !TOO_LARGE_CODES.has(event.code);
}

/** The encoded size of everything ``doc`` holds, after dropping the content of deleted items
 * nothing keeps (an undone change that was never stored): what a resync would send at most. */
export function syncedSize(doc: Y.Doc): number {
  Y.tryGc(Y.createDeleteSetFromStructStore(doc.store), doc.store, doc.gcFilter);
  return Y.encodeStateAsUpdate(doc).byteLength;
}

/** Remembers the size of a refused document; says when a retry may be worth it. */
export class RefusedChange {
  private refusedBytes: number | null = null;
  private undoManagers = new Set<Y.UndoManager>();

  get active(): boolean {
    return this.refusedBytes !== null;
  }

  /** An undo manager whose redo stack must go once the refused change is undone: redo would
   * bring it back, and the stack keeps its content from being dropped. */
  track(undoManager: Y.UndoManager): void {
    this.undoManagers.add(undoManager);
  }

  refused(doc: Y.Doc): void {
    this.refusedBytes = syncedSize(doc);
  }

  /** After a local change: whether the document shrank below the refused size, so that a new
   * connection may now succeed (then the refusal is forgotten). */
  shrank(doc: Y.Doc): boolean {
    if (this.refusedBytes === null) return false;
    for (const undoManager of this.undoManagers) undoManager.clear(false, true);
    const size = syncedSize(doc);
    if (size >= this.refusedBytes) return false;
    this.refusedBytes = null;
    return true;
  }
}

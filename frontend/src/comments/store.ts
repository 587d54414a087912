// The comment threads of the open document as the panel shows them: each kept at its newest
// revision (REST answers and socket events arrive in any order), deleted ones kept out, and
// listed open or resolved in the order of their anchors in the document.

import type { CommentThread } from "./types";

export type ThreadFilter = "open" | "resolved";

export class ThreadStore {
  private readonly threads = new Map<number, CommentThread>();
  private readonly deleted = new Set<number>();

  /** Keeps ``thread`` unless a newer revision of it (or its deletion) is known; returns
   * whether anything changed. */
  apply(thread: CommentThread): boolean {
    if (this.deleted.has(thread.id)) return false;
    const known = this.threads.get(thread.id);
    if (known && known.revision >= thread.revision) return false;
    this.threads.set(thread.id, thread);
    return true;
  }

  /** Replaces everything with a fresh list, keeping what is newer here (an event that
   * arrived while the list was on its way). */
  reset(threads: CommentThread[]): void {
    const newer = [...this.threads.values()].filter((kept) => kept.revision > (threads.find((t) => t.id === kept.id)?.revision ?? Infinity));
    this.threads.clear();
    for (const thread of threads) this.apply(thread);
    for (const thread of newer) this.threads.set(thread.id, thread);
  }

  remove(id: number): boolean {
    this.deleted.add(id);
    return this.threads.delete(id);
  }

  get(id: number): CommentThread | undefined {
    return this.threads.get(id);
  }

  all(): CommentThread[] {
    return [...this.threads.values()];
  }

  /** Threads of ``filter``, by their anchor's place (``order``: smaller first; detached
   * ones, without a place, last), then oldest first. */
  list(filter: ThreadFilter, order: (thread: CommentThread) => number | null): CommentThread[] {
    const place = (thread: CommentThread) => order(thread) ?? Number.POSITIVE_INFINITY;
    return this.all()
      .filter((thread) => thread.resolved === (filter === "resolved"))
      .sort((a, b) => place(a) - place(b) || a.id - b.id);
  }

  count(filter: ThreadFilter): number {
    return this.all().filter((thread) => thread.resolved === (filter === "resolved")).length;
  }
}

/** Whether ``userId`` (with ``role`` in the room) may resolve or reopen the thread: its
 * author, editors and owners. */
export function canResolve(thread: CommentThread, userId: number | null, role: string | null): boolean {
  return thread.author?.id === userId || role === "editor" || role === "owner";
}

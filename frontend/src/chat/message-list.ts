// A list of chat messages kept in the order of their ids, with this page's pending messages
// after them: the room's top-level messages in the panel, or one thread's replies. Each item
// is re-rendered whole when its message changes (a reaction, an edit, a reply count).

import type { Message } from "../room-socket/events";
import { renderMessage, renderPending, type PendingMessage, type ViewOptions } from "./message-view";

export class MessageList {
  private readonly items = new Map<number, HTMLLIElement>();
  private readonly pendingItems = new Map<string, HTMLLIElement>();

  constructor(
    readonly element: HTMLOListElement,
    private readonly belongs: (parent: number | null) => boolean,
    private readonly options: ViewOptions,
  ) {}

  /** Shows ``message`` (in place if it is here already), replacing its pending copy. */
  upsert(message: Message): void {
    if (!this.belongs(message.parent)) return;
    if (message.client_id) this.dropPending(message.client_id);
    const next = renderMessage(message, this.options);
    const current = this.items.get(message.id);
    if (current) {
      // Keep an edit form or an open picker's focus from being torn away mid-use.
      if (current.contains(document.activeElement) && current.querySelector(".chat-edit")) return;
      const focused = current.contains(document.activeElement) ? (document.activeElement as HTMLElement).getAttribute("aria-label") : null;
      current.replaceWith(next);
      if (focused) next.querySelector<HTMLElement>(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
    } else {
      const after = [...this.items.keys()].filter((id) => id > message.id).sort((a, b) => a - b)[0];
      const before = after === undefined ? (this.pendingItems.values().next().value ?? null) : this.items.get(after)!;
      this.element.insertBefore(next, before);
    }
    this.items.set(message.id, next);
  }

  showPending(pending: PendingMessage): void {
    if (!this.belongs(pending.parent)) return;
    const next = renderPending(pending, this.options);
    const current = this.pendingItems.get(pending.clientId);
    if (current) current.replaceWith(next);
    else this.element.append(next);
    this.pendingItems.set(pending.clientId, next);
  }

  dropPending(clientId: string): void {
    this.pendingItems.get(clientId)?.remove();
    this.pendingItems.delete(clientId);
  }

  has(id: number): boolean {
    return this.items.has(id);
  }

  /** Marks where the unread messages begin (after ``lastRead``), or nowhere with null. */
  markUnreadAfter(lastRead: number | null): void {
    this.element.querySelector(".chat-unread-marker")?.classList.remove("chat-unread-marker");
    if (lastRead === null) return;
    const first = [...this.items.keys()].filter((id) => id > lastRead).sort((a, b) => a - b)[0];
    if (first !== undefined) this.items.get(first)!.classList.add("chat-unread-marker");
  }
}

// A thread, shown over the panel's message list: the root message, its replies (over REST,
// oldest first, then live), and a box to reply. Back (or Escape) returns to the room's chat.
// Replies come a page at a time: scrolling to the end of the thread (or its "More replies"
// button) loads the next page, so a thread of any length can be read.

import { apiGet, errorMessage } from "../api";
import type { Message } from "../room-socket/events";
import { element } from "../ui/dom";
import { createComposer, type ComposerExtras } from "./composer";
import { MessageList } from "./message-list";
import { renderMessage, type PendingMessage, type ViewOptions } from "./message-view";

interface Page {
  results: Message[];
  next: string | null;
}

export interface ThreadView {
  element: HTMLElement;
  rootId: number | null;
  open(root: Message): Promise<void>;
  close(): void;
  upsert(message: Message): void;
  showPending(pending: PendingMessage): void;
  dropPending(clientId: string): void;
  /** Loads pages until the reply is shown; its list item, or null if it is not there. */
  reveal(messageId: number): Promise<HTMLElement | null>;
}

const REPLIES_PAGE = 100;

export function createThreadView(options: {
  messagesUrl: string;
  view: ViewOptions;
  canPost: boolean;
  send(body: string, parent: number): void;
  typing(): void;
  closed(root: number): void;
  extras?: ComposerExtras;
}): ThreadView {
  const section = element("section", "chat-thread");
  section.hidden = true;
  section.setAttribute("aria-labelledby", "chat-thread-heading");
  const head = element("div", "chat-thread-head");
  const back = element("button", "small secondary", "← Back to chat");
  back.type = "button";
  const heading = element("h3", "", "Thread");
  heading.id = "chat-thread-heading";
  heading.tabIndex = -1;
  head.append(back, heading);
  const root = element("div", "chat-thread-root");
  const replies = element("ol", "chat-messages chat-replies");
  replies.setAttribute("aria-label", "Replies");
  const status = element("p", "panel-status");
  status.setAttribute("role", "status");
  const more = element("button", "small secondary chat-older", "More replies");
  more.type = "button";
  more.hidden = true;
  section.append(head, root, status, replies, more);

  let rootId: number | null = null;
  let list: MessageList | null = null;
  let next: string | null = null;
  let loading: Promise<void> | null = null;
  const loadPage = (url: string, forRoot: number): Promise<void> => {
    loading ??= (async () => {
      more.disabled = true;
      try {
        const page = await apiGet<Page>(url);
        if (rootId !== forRoot || !list) return;
        for (const reply of page.results) list.upsert(reply);
        next = page.next;
        status.textContent = list.element.children.length ? "" : "No replies yet.";
      } catch (reason) {
        status.textContent = errorMessage(reason, "The replies could not be loaded.");
      } finally {
        more.disabled = false;
        more.hidden = next === null;
        loading = null;
      }
    })();
    return loading;
  };
  const loadMore = () => (next !== null && rootId !== null ? loadPage(next, rootId) : Promise.resolve());
  const threadView: ViewOptions = { ...options.view, inThread: true };
  const composer = createComposer({
    label: "Reply in this thread",
    placeholder: "Reply…",
    send: (body) => rootId !== null && options.send(body, rootId),
    typing: options.typing,
    extras: options.extras,
    parent: () => rootId,
  });
  if (options.canPost) section.append(composer.form);

  const view: ThreadView = {
    element: section,
    get rootId() {
      return rootId;
    },
    async open(message) {
      rootId = message.id;
      root.replaceChildren(renderMessage(message, threadView));
      replies.replaceChildren();
      list = new MessageList(replies, (parent) => parent === message.id, threadView);
      section.hidden = false;
      heading.focus();
      status.textContent = "Loading replies…";
      next = null;
      more.hidden = true;
      await loading;
      await loadPage(`${options.messagesUrl}/${message.id}/replies?page_size=${REPLIES_PAGE}`, message.id);
    },
    close() {
      const was = rootId;
      rootId = null;
      list = null;
      section.hidden = true;
      if (was !== null) options.closed(was);
    },
    upsert(message) {
      if (rootId === null) return;
      if (message.id === rootId) root.replaceChildren(renderMessage(message, threadView));
      else if (message.parent === rootId) {
        status.textContent = "";
        list?.upsert(message);
      }
    },
    showPending(pending) {
      list?.showPending(pending);
    },
    dropPending(clientId) {
      list?.dropPending(clientId);
    },
    async reveal(messageId) {
      while (list && !list.has(messageId) && next !== null) await loadMore();
      return replies.querySelector<HTMLElement>(`[data-message-id="${messageId}"]`);
    },
  };
  more.addEventListener("click", () => void loadMore());
  section.addEventListener("scroll", () => {
    if (section.scrollHeight - section.scrollTop - section.clientHeight < 80) void loadMore();
  });
  back.addEventListener("click", () => view.close());
  section.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented && !(event.target as HTMLElement).closest(".chat-edit")) view.close();
  });
  return view;
}

// The chat panel: the room's messages over the room socket (history on joining, older pages
// over REST), a message shown at once as pending and confirmed by the `message.new` that
// carries its client_id (or marked failed by the `error` that does, with a retry that sends
// the same client_id, which the server never stores twice), reactions, threads, edits and
// deletions, who is typing, and the unread count (read is sent while the panel is in view).
// Its boxes complete mentions and send files (composer extras); search asks it to reveal a
// message, in the list or in its thread.

import "./chat.css";
import { apiGet, errorMessage } from "../api";
import type { RoomContext } from "../context";
import type { Message } from "../room-socket/events";
import type { RoomSocket } from "../room-socket/socket";
import { confirmAction } from "../ui/confirm";
import { element } from "../ui/dom";
import { createComposer, type ComposerExtras } from "./composer";
import { createChatDrawer } from "./drawer";
import { membersFrom } from "./mentions";
import { MessageList } from "./message-list";
import type { MessageActions, PendingMessage, ViewOptions } from "./message-view";
import { createThreadView } from "./thread";
import { createTypingIndicator } from "./typing";

const CONFIRM_WITHIN_MS = 20_000;
const READ_AFTER_MS = 600;

function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure origin
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the rest of the page may ask of the chat panel. */
export interface ChatPanel {
  /** Shows a message (loading older pages, or opening its thread, as needed) and marks it. */
  reveal(message: Message): Promise<boolean>;
}

const REVEAL_PAGES = 40;

export function mountChat(region: HTMLElement, context: RoomContext, socket: RoomSocket): ChatPanel {
  const me = context.user;
  const canPost = context.permissions.postMessages;
  const isMember = me.role !== null;
  region.classList.remove("region-placeholder");
  region.classList.add("chat-live");
  region.replaceChildren();

  const head = element("div", "chat-head");
  const heading = element("h2", "", "Chat");
  heading.id = "chat-heading";
  const unreadBadge = element("span", "unread-count");
  unreadBadge.dataset.testid = "chat-unread";
  unreadBadge.hidden = true;
  const connection = element("span", "chat-connection");
  connection.setAttribute("role", "status");
  head.append(heading, unreadBadge, connection);
  region.setAttribute("aria-labelledby", heading.id);
  region.removeAttribute("aria-label");

  const scroller = element("div", "chat-scroll");
  const older = element("button", "small secondary chat-older", "Load older messages");
  older.type = "button";
  older.hidden = true;
  const list = element("ol", "chat-messages");
  list.setAttribute("aria-label", "Messages");
  scroller.append(older, list);
  const alert = element("p", "chat-alert");
  alert.setAttribute("role", "alert");
  const typingLine = createTypingIndicator();

  const messages = new Map<number, Message>();
  const pending = new Map<string, PendingMessage & { timer?: number }>();
  const actions: MessageActions = {
    react: (message, emoji, add) => transmit({ type: add ? "reaction.add" : "reaction.remove", message: message.id, emoji, client_id: newClientId() }),
    openThread: (message) => {
      region.classList.add("thread-open");
      void thread.open(messages.get(message.id) ?? message);
    },
    edit: (message, body) => transmit({ type: "message.edit", message: message.id, body, client_id: newClientId() }),
    remove: async (message) => {
      const sure = await confirmAction({ title: "Delete this message?", body: "Everyone in the room will see that a message was deleted.", confirm: "Delete", danger: true });
      if (sure) transmit({ type: "message.delete", message: message.id, client_id: newClientId() });
    },
    retry: (clientId) => {
      const message = pending.get(clientId);
      if (message) deliver(message);
    },
  };
  const view: ViewOptions = { me: { id: me.id, isOwner: me.role === "owner", canPost }, actions, inThread: false };
  const main = new MessageList(list, (parent) => parent === null, view);
  const extras: ComposerExtras = {
    members: membersFrom(context.urls.members),
    uploadUrl: context.urls.attachments,
    csrfToken: context.csrfToken,
    limits: { maxBytes: context.limits.attachmentMaxBytes, contentTypes: context.limits.attachmentContentTypes },
  };
  const thread = createThreadView({
    extras,
    messagesUrl: context.urls.messages,
    view,
    canPost,
    send: (body, parent) => send(body, parent),
    typing: () => socket.send({ type: "typing" }),
    closed: (root) => {
      region.classList.remove("thread-open");
      list.querySelector<HTMLElement>(`[data-message-id="${root}"] .chat-thread-link`)?.focus();
    },
  });

  let alertTimer = 0;
  const showAlert = (text: string) => {
    alert.textContent = text;
    window.clearTimeout(alertTimer);
    alertTimer = window.setTimeout(() => (alert.textContent = ""), 8000);
  };
  const transmit = (frame: Parameters<RoomSocket["send"]>[0]) => {
    if (!socket.send(frame)) showAlert("Not connected to the room: try again in a moment.");
  };

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  const toBottom = () => (scroller.scrollTop = scroller.scrollHeight);

  const upsert = (message: Message) => {
    messages.set(message.id, message);
    main.upsert(message);
    thread.upsert(message);
  };
  const showPending = (message: PendingMessage) => {
    main.showPending(message);
    thread.showPending(message);
  };

  const deliver = (message: PendingMessage & { timer?: number }) => {
    message.failed = null;
    window.clearTimeout(message.timer);
    showPending(message);
    if (socket.state === "closed") {
      message.failed = "you are disconnected from the room.";
      showPending(message);
      return;
    }
    // Sent now, or by the next "open" below; confirmed or failed within the limit either way.
    socket.send({ type: "message.send", body: message.body, parent: message.parent, client_id: message.clientId });
    message.timer = window.setTimeout(() => {
      message.failed = "the server did not confirm it.";
      showPending(message);
    }, CONFIRM_WITHIN_MS);
  };
  const send = (body: string, parent: number | null) => {
    const author = { id: me.id, username: "", display_name: me.name, color: me.color };
    const message = { clientId: newClientId(), body, parent, failed: null, author, createdAt: new Date().toISOString() };
    pending.set(message.clientId, message);
    deliver(message);
    if (parent === null) toBottom();
  };

  // --- unread -----------------------------------------------------------------------------
  let unread = 0;
  let readTimer = 0;
  const drawerHost = document.querySelector<HTMLElement>(".room-app") ?? document.body;
  const drawer = createChatDrawer(region, drawerHost);
  const showUnread = () => {
    unreadBadge.hidden = unread === 0;
    unreadBadge.textContent = `${unread} unread`;
    drawer.setUnread(unread);
  };
  const readSoon = () => {
    if (!isMember) return;
    window.clearTimeout(readTimer);
    readTimer = window.setTimeout(() => {
      if (unread > 0 && drawer.isVisible()) socket.send({ type: "read" });
    }, READ_AFTER_MS);
  };
  drawer.onShown(() => {
    // A panel that was hidden (a closed drawer) could not scroll; show its newest messages.
    if (scroller.scrollTop === 0) toBottom();
    readSoon();
  });

  // --- events -----------------------------------------------------------------------------
  socket.on("message.history", (event) => {
    for (const message of event.messages) upsert(message);
    older.hidden = !event.has_more;
    toBottom();
  });
  socket.on("message.new", ({ message, parent_reply_count }) => {
    const stick = nearBottom() || message.author?.id === me.id;
    const mine = pending.get(message.client_id);
    if (mine && message.author?.id === me.id) {
      window.clearTimeout(mine.timer);
      pending.delete(message.client_id);
    }
    if (message.author) typingLine.stopped(message.author.id);
    upsert(message);
    const root = message.parent === null ? undefined : messages.get(message.parent);
    if (root && parent_reply_count !== null) upsert({ ...root, reply_count: parent_reply_count });
    if (stick) toBottom();
    if (message.author?.id !== me.id && message.kind !== "system") {
      unread += 1;
      showUnread();
      readSoon();
    }
  });
  socket.on("message.edited", ({ message }) => upsert(message));
  socket.on("message.deleted", ({ message }) => upsert(message));
  const reacted = (event: { message_id: number; reactions: Message["reactions"] }) => {
    const message = messages.get(event.message_id);
    if (message) upsert({ ...message, reactions: event.reactions });
  };
  socket.on("reaction.added", reacted);
  socket.on("reaction.removed", reacted);
  socket.on("typing", (event) => typingLine.typing(event.user, event.expires_in));
  socket.on("unread", (event) => {
    unread = event.count;
    showUnread();
    main.markUnreadAfter(event.count > 0 ? event.last_read_message_id : null);
    readSoon();
  });
  socket.on("error", (event) => {
    const message = event.client_id ? pending.get(event.client_id) : undefined;
    if (!message) {
      showAlert(event.detail);
      return;
    }
    window.clearTimeout(message.timer);
    message.failed = event.detail;
    showPending(message);
  });
  socket.onState((state, code) => {
    connection.textContent = { connecting: "Connecting…", open: "", waiting: "Reconnecting…", closed: code === undefined ? "" : "Disconnected" }[state];
    if (state !== "open") return;
    // Whatever was sent and not yet confirmed goes again: a re-sent client_id is never doubled.
    for (const message of pending.values()) {
      if (!message.failed) socket.send({ type: "message.send", body: message.body, parent: message.parent, client_id: message.clientId });
    }
  });

  // --- older messages ---------------------------------------------------------------------
  let loading = false;
  const loadOlder = async () => {
    if (loading || older.hidden) return;
    const oldest = Math.min(...messages.keys());
    if (!Number.isFinite(oldest)) return;
    loading = true;
    older.disabled = true;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    try {
      const page = await apiGet<{ results: Message[]; next: string | null }>(`${context.urls.messages}?top_level=true&before=${oldest}&page_size=50`);
      for (const message of page.results) if (!messages.has(message.id)) upsert(message);
      older.hidden = page.next === null;
      scroller.scrollTop = scroller.scrollHeight - fromBottom;
    } catch (reason) {
      showAlert(errorMessage(reason, "Older messages could not be loaded."));
    } finally {
      loading = false;
      older.disabled = false;
    }
  };
  older.addEventListener("click", () => void loadOlder());

  // --- going to a message (from search) ------------------------------------------------------
  const flash = (item: HTMLElement | null) => {
    if (!item) return false;
    item.scrollIntoView({ block: "center" });
    item.classList.add("search-hit");
    item.tabIndex = -1;
    item.focus({ preventScroll: true });
    window.setTimeout(() => item.classList.remove("search-hit"), 3000);
    return true;
  };
  const reveal = async (message: Message): Promise<boolean> => {
    if (!drawer.isVisible()) document.querySelector<HTMLButtonElement>(".chat-toggle[aria-expanded=false]")?.click();
    if (message.parent !== null) {
      try {
        const root = messages.get(message.parent) ?? (await apiGet<Message>(`${context.urls.messages}/${message.parent}`));
        region.classList.add("thread-open");
        await thread.open(root);
        return flash(await thread.reveal(message.id));
      } catch (reason) {
        showAlert(errorMessage(reason, "That thread could not be opened."));
        return false;
      }
    }
    if (thread.rootId !== null) thread.close();
    for (let page = 0; page < REVEAL_PAGES && !main.has(message.id) && !older.hidden; page++) {
      if (loading) await new Promise((resolve) => window.setTimeout(resolve, 100));
      else await loadOlder();
    }
    return flash(list.querySelector<HTMLElement>(`[data-message-id="${message.id}"]`));
  };
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollTop < 40) void loadOlder();
  });

  region.append(head, scroller, thread.element, alert, typingLine.element);
  if (canPost) {
    const composer = createComposer({ label: "Message the room", placeholder: `Message ${context.room.name}`, send: (body) => send(body, null), typing: () => socket.send({ type: "typing" }), extras });
    region.append(composer.form);
  } else {
    region.append(element("p", "chat-read-only", isMember ? "You can read the chat but not post in this room." : "Join the room to post in its chat."));
  }
  return { reveal };
}

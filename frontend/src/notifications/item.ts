// One notification in the list, the same markup as rooms/templates/rooms/notification_item.html
// renders on the server, for those that arrive while the page is open.

import type { AppNotification } from "./types";

function strong(text: string): HTMLElement {
  const element = document.createElement("strong");
  element.textContent = text;
  return element;
}

function describe(notification: AppNotification): (string | HTMLElement)[] {
  const who = strong(notification.actor?.display_name || "Someone");
  const room = strong(notification.room?.name ?? "");
  const onDocument = strong(notification.document?.title ?? "a document");
  if (notification.kind === "mention" && notification.thread_id !== null) return [who, " mentioned you in a comment on ", onDocument];
  switch (notification.kind) {
    case "comment_reply":
      return [who, " replied to a comment on ", onDocument];
    case "mention":
      return [who, " mentioned you in ", notification.document ? onDocument : room];
    case "reply":
      return [who, " replied in a thread in ", room];
    case "invite":
      return [who, " added you to ", room];
    case "document_shared":
      return [who, " shared ", strong(notification.document?.title ?? "a document"), " with you"];
    default:
      return [String(notification.data.detail ?? "Webhook disabled")];
  }
}

export function renderItem(notification: AppNotification): HTMLLIElement {
  const item = document.createElement("li");
  item.className = "notification-item" + (notification.read_at ? "" : " unread");
  item.dataset.notificationId = String(notification.id);

  const text = document.createElement("span");
  text.className = "notification-text";
  text.append(...describe(notification));
  item.append(text);

  if (notification.excerpt) {
    const excerpt = document.createElement("span");
    excerpt.className = "notification-excerpt";
    excerpt.textContent = notification.excerpt.length > 160 ? `${notification.excerpt.slice(0, 159)}…` : notification.excerpt;
    item.append(excerpt);
  }

  const time = document.createElement("time");
  time.className = "notification-time";
  time.dateTime = notification.created_at;
  time.textContent = new Date(notification.created_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  item.append(time);

  const actions = document.createElement("span");
  actions.className = "notification-actions";
  if (notification.url) {
    const link = document.createElement("a");
    link.className = "notification-link";
    link.href = notification.url;
    link.dataset.open = "";
    link.textContent = "Open";
    const hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = ` this ${notification.kind.replace("_", "")} notification`;
    link.append(hint);
    actions.append(link);
  }
  if (notification.read_at) {
    actions.append(readLabel());
  } else {
    const form = document.createElement("form");
    form.method = "post";
    form.className = "inline";
    form.dataset.markRead = "";
    const button = document.createElement("button");
    button.type = "submit";
    button.name = "read";
    button.value = String(notification.id);
    button.className = "link";
    button.textContent = "Mark read";
    form.append(button);
    actions.append(form);
  }
  item.append(actions);
  return item;
}

export function readLabel(): HTMLElement {
  const label = document.createElement("span");
  label.className = "notification-read";
  label.textContent = "Read";
  return label;
}

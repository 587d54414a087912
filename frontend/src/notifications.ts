// The notifications page's entry (rooms/templates/rooms/notifications.html): marks read and
// mark all read through the REST API without reloading, opening one marks it read, and new
// notifications appear at the top while the page is open: the person's own socket (/ws/me)
// brings each one and the unread count, and after each (re)connect the page reads the newest
// again, so one that came while it was disconnected shows too.

import { apiGet, apiRequest, ApiError } from "./api";
import { setBellCount } from "./notifications/bell";
import { readLabel, renderItem } from "./notifications/item";
import "./notifications/notifications.css";
import type { AppNotification, NotificationPage } from "./notifications/types";
import { RoomSocket } from "./room-socket/socket";

interface PageContext {
  urls: { list: string; readAll: string; unreadCount: string; detail: string; userSocket: string };
  unreadOnly: boolean;
  csrfToken: string;
}

const context = JSON.parse(document.getElementById("notifications-context")!.textContent!) as PageContext;
const list = document.querySelector<HTMLUListElement>("[data-notification-list]")!;
const empty = document.querySelector<HTMLElement>("[data-empty]")!;
const announce = document.querySelector<HTMLElement>("[data-announce]")!;
const readAllForm = document.querySelector<HTMLFormElement>("[data-read-all]")!;
const readAllButton = readAllForm.querySelector<HTMLButtonElement>("button")!;
const pageUnread = document.querySelector<HTMLElement>("[data-page-unread]");

let unread = Number(document.querySelector("[data-notification-count]")?.textContent ?? 0) || 0;
// How many counts this page has learnt: a resync's answer is stale if one came meanwhile.
let countsLearnt = 0;

function detailUrl(id: number | string): string {
  return context.urls.detail.replace(/0$/, String(id));
}

function showUnread(count: number): void {
  countsLearnt += 1;
  unread = count;
  setBellCount(count);
  if (pageUnread) pageUnread.textContent = `(${count})`;
  readAllButton.disabled = count === 0;
}

function markShownRead(item: HTMLElement): void {
  item.classList.remove("unread");
  const form = item.querySelector("[data-mark-read]");
  form?.replaceWith(readLabel());
  if (context.unreadOnly) item.remove();
  empty.hidden = list.children.length > 0;
}

async function markRead(item: HTMLElement): Promise<void> {
  const id = item.dataset.notificationId!;
  await apiRequest<AppNotification>("PATCH", detailUrl(id), context.csrfToken, { read: true });
  markShownRead(item);
  showUnread(Math.max(0, unread - 1));
}

list.addEventListener("submit", (event) => {
  const form = event.target as HTMLElement;
  if (!form.matches("[data-mark-read]")) return;
  event.preventDefault();
  const item = form.closest<HTMLElement>("[data-notification-id]")!;
  const button = form.querySelector("button");
  markRead(item)
    .then(() => {
      announce.textContent = "Marked read.";
      // Keep the keyboard in the list: the next item's link, or the list's heading.
      (item.nextElementSibling?.querySelector<HTMLElement>("a, button") ?? document.getElementById("notifications-heading"))?.focus();
    })
    .catch((reason) => {
      announce.textContent = reason instanceof ApiError ? reason.message : "Could not mark it read.";
      if (button) button.disabled = false;
    });
});

// Opening one marks it read; keepalive lets the request finish as the page navigates away.
list.addEventListener("click", (event) => {
  const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-open]");
  const item = link?.closest<HTMLElement>("[data-notification-id].unread");
  if (!item) return;
  void fetch(detailUrl(item.dataset.notificationId!), {
    method: "PATCH",
    credentials: "same-origin",
    keepalive: true,
    headers: { "Content-Type": "application/json", "X-CSRFToken": context.csrfToken },
    body: JSON.stringify({ read: true }),
  }).catch(() => undefined);
});

readAllForm.addEventListener("submit", (event) => {
  event.preventDefault();
  readAllButton.disabled = true;
  apiRequest<{ marked: number; unread_count: number }>("POST", context.urls.readAll, context.csrfToken)
    .then((result) => {
      for (const item of list.querySelectorAll<HTMLElement>(".notification-item.unread")) markShownRead(item);
      showUnread(result.unread_count);
      announce.textContent = result.marked === 1 ? "1 notification marked read." : `${result.marked} notifications marked read.`;
    })
    .catch((reason) => {
      announce.textContent = reason instanceof ApiError ? reason.message : "Could not mark them read.";
      readAllButton.disabled = unread === 0;
    });
});

// An older page (?before=) shows no new ones at its top.
const newestShown = !new URLSearchParams(window.location.search).has("before");

function showNew(fresh: AppNotification[]): void {
  if (!newestShown) return;
  const shown = new Set([...list.querySelectorAll<HTMLElement>("[data-notification-id]")].map((item) => item.dataset.notificationId));
  const unseen = fresh.filter((notification) => !shown.has(String(notification.id)));
  for (const notification of unseen.reverse()) list.prepend(renderItem(notification));
  if (unseen.length) {
    empty.hidden = true;
    announce.textContent = unseen.length === 1 ? "1 new notification." : `${unseen.length} new notifications.`;
  }
}

/** Reads the newest notifications and the count again (after each connect). */
async function resync(): Promise<void> {
  const asked = countsLearnt;
  const [page, { unread_count: count }] = await Promise.all([
    apiGet<NotificationPage>(`${context.urls.list}?page_size=50${context.unreadOnly ? "&unread=true" : ""}`),
    apiGet<{ unread_count: number }>(context.urls.unreadCount),
  ]);
  showNew(page.results);
  // Marked read here or told by an event while the answer was on its way: that count is newer.
  if (countsLearnt === asked) showUnread(count);
}

const socket = new RoomSocket(context.urls.userSocket);
socket.on("ready", () => void resync().catch(() => undefined));
socket.on("notification", ({ notification }) => showNew([notification]));
socket.on("notifications.unread", ({ count }) => showUnread(count));

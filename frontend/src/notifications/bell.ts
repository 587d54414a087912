// The header's bell (collab/templates/base.html): its count is rendered with the page and kept
// current by `notifications.unread` events, which reach every open room socket of the user.

import type { RoomSocket } from "../room-socket/socket";

/** Shows ``count`` unread notifications on the bell (hidden at 0). */
export function setBellCount(count: number): void {
  const bell = document.querySelector<HTMLElement>("[data-notification-bell]");
  const badge = bell?.querySelector<HTMLElement>("[data-notification-count]");
  if (!bell || !badge) return;
  badge.textContent = String(count);
  badge.hidden = count === 0;
  bell.setAttribute("aria-label", count ? `Notifications, ${count} unread` : "Notifications");
}

/** Keeps the bell current from a room socket. */
export function followNotifications(socket: RoomSocket): void {
  socket.on("notifications.unread", (event) => setBellCount(event.count));
}

// The room list's entry (rooms/templates/rooms/room_list.html): keeps each room's unread count
// and the header's bell current while the page is open. The page has no socket (a member of
// many rooms would otherwise hold every room's event stream to show a few numbers), so it asks
// the REST API every POLL_MS while visible, and at once when the page becomes visible again
// (a tab brought back, or the page restored from the back-forward cache after reading a room).

import { apiGet } from "./api";
import { setBellCount } from "./notifications/bell";

const POLL_MS = 10_000;
const context = JSON.parse(document.getElementById("rooms-context")!.textContent!) as PageContext;

interface PageContext {
  urls: { rooms: string; unreadCount: string };
}

interface RoomRow {
  id: string;
  unread_count: number | null;
}

function showUnread(roomId: string, count: number): void {
  const badge = document.querySelector<HTMLElement>(`[data-unread-room="${CSS.escape(roomId)}"]`);
  if (!badge) return;
  badge.textContent = count ? String(count) : "";
  badge.hidden = count === 0;
  if (count) badge.setAttribute("aria-label", `${count} unread message${count === 1 ? "" : "s"}`);
  else badge.removeAttribute("aria-label");
}

let timer: number | undefined;
let inFlight = false;

async function refresh(): Promise<void> {
  if (inFlight) return;
  inFlight = true;
  try {
    const [rooms, notifications] = await Promise.all([
      apiGet<RoomRow[]>(context.urls.rooms),
      apiGet<{ unread_count: number }>(context.urls.unreadCount),
    ]);
    for (const room of rooms) {
      if (room.unread_count !== null) showUnread(room.id, room.unread_count);
    }
    setBellCount(notifications.unread_count);
  } catch {
    // Offline or signed out: keep what is shown; the next round tries again.
  } finally {
    inFlight = false;
  }
}

function schedule(): void {
  window.clearInterval(timer);
  timer = undefined;
  if (document.visibilityState !== "visible") return;
  timer = window.setInterval(() => void refresh(), POLL_MS);
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") void refresh();
  schedule();
});
window.addEventListener("pageshow", (event) => {
  if (event.persisted) void refresh();
});
schedule();

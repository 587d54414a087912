// The room list's entry (rooms/templates/rooms/room_list.html): keeps the person's rooms, the
// public rooms, each room's unread count and the header's bell current while the page is open.
// One socket, /ws/me, carries the person's own events (rooms joined, changed and left, unread
// counts, notifications) whatever the room, so a member of many rooms holds one stream, not one
// per room. On each `ready` (the first connect and every reconnect) the page reads the lists
// again, so an event missed while disconnected is not missed for good.

import { apiGet, apiGetAll } from "./api";
import { LiveList, reconcileChildren } from "./live/live-list";
import { buildCard, sectionOf, updateCard, type Section } from "./live/room-cards";
import { setBellCount } from "./notifications/bell";
import type { RoomPayload } from "./room-socket/events";
import { RoomSocket } from "./room-socket/socket";

interface PageContext {
  urls: { rooms: string; unreadCount: string; userSocket: string; roomPage: string; joinPage: string };
  csrfToken: string;
}

const context = JSON.parse(document.getElementById("rooms-context")!.textContent!) as PageContext;
const SECTIONS: Section[] = ["mine", "public", "archived"];

const listOf = (section: Section) => document.querySelector<HTMLElement>(`[data-room-list="${section}"]`);

// The cards on the page, by section and room, starting with those the server rendered.
const cards = new Map<string, HTMLElement>();
for (const section of SECTIONS) {
  for (const card of listOf(section)?.querySelectorAll<HTMLElement>("li[data-room-id]") ?? []) {
    cards.set(`${section}:${card.dataset.roomId}`, card);
  }
}

// The server-rendered lists stay until the first read: an event before it must not empty them.
let loaded = false;

function render(rooms: RoomPayload[]): void {
  if (!loaded) return;
  for (const section of SECTIONS) {
    const list = listOf(section);
    if (!list) continue;
    const shown = rooms
      .filter((room) => sectionOf(room) === section)
      .map((room) => {
        const key = `${section}:${room.id}`;
        let card = cards.get(key);
        if (card) updateCard(card, room);
        else cards.set(key, (card = buildCard(room, section, { ...context.urls, csrfToken: context.csrfToken })));
        return card;
      });
    reconcileChildren(list, shown);
    for (const key of [...cards.keys()]) {
      if (key.startsWith(`${section}:`) && !shown.includes(cards.get(key)!)) cards.delete(key);
    }
    list.hidden = shown.length === 0;
    const empty = document.querySelector<HTMLElement>(`[data-room-list-empty="${section}"]`);
    if (empty) empty.hidden = shown.length > 0;
    document.querySelector<HTMLElement>(`[data-room-section="${section}"]`)?.toggleAttribute("hidden", shown.length === 0);
  }
}

const byName = (a: RoomPayload, b: RoomPayload) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
const rooms = new LiveList<RoomPayload>((room) => room.id, byName, render);

const socket = new RoomSocket(context.urls.userSocket);
socket.on("ready", () => {
  void rooms.resync(async () => {
    const read = await apiGetAll<RoomPayload>(context.urls.rooms);
    loaded = true;
    return read;
  });
  apiGet<{ unread_count: number }>(context.urls.unreadCount)
    .then((notifications) => setBellCount(notifications.unread_count))
    .catch(() => undefined);
});
socket.on("room.joined", ({ room }) => rooms.apply({ upsert: room }));
socket.on("room.updated", ({ room }) => rooms.apply({ upsert: room }));
socket.on("room.left", ({ room: id }) => {
  const room = rooms.get(id);
  // A public room stays listed, now with a Join button.
  if (room?.is_public && !room.is_archived) rooms.apply({ upsert: { ...room, role: null, unread_count: null } });
  else rooms.apply({ remove: id });
});
socket.on("room.unread", ({ room, count }) => rooms.apply({ patch: room, with: (known) => ({ ...known, unread_count: count }) }));
socket.on("notifications.unread", ({ count }) => setBellCount(count));

// The room list's cards (rooms/templates/rooms/room_list.html), built from the rooms the REST
// API and /ws/me's events describe, the same way the template renders them.

import type { RoomPayload } from "../room-socket/events";
import { element } from "../ui/dom";

export type Section = "mine" | "public" | "archived";

/** Which list a room shows in, or null for none (a private room one is not in). */
export function sectionOf(room: RoomPayload): Section | null {
  if (room.role !== null) return room.is_archived ? "archived" : "mine";
  return room.is_public && !room.is_archived ? "public" : null;
}

const ROLE_LABELS = { owner: "Owner", editor: "Editor", commenter: "Commenter", viewer: "Viewer" };

function members(count: number): string {
  return `${count} member${count === 1 ? "" : "s"}`;
}

/** The card's line under the name, as the template writes it. */
export function cardMeta(room: RoomPayload): string {
  const section = sectionOf(room);
  if (section === "archived") return "Archived · read-only";
  if (section === "public") return `${members(room.member_count)} · Anyone signed in can read`;
  return `${room.role ? ROLE_LABELS[room.role] : ""} · ${members(room.member_count)}${room.is_public ? " · Public" : ""}`;
}

/** Django's ``truncatechars:120``. */
export function truncated(text: string, limit = 120): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** Shows ``count`` unread messages on a card's badge (hidden at 0). */
export function showUnread(badge: HTMLElement, count: number): void {
  badge.textContent = count ? String(count) : "";
  badge.hidden = count === 0;
  if (count) badge.setAttribute("aria-label", `${count} unread message${count === 1 ? "" : "s"}`);
  else badge.removeAttribute("aria-label");
}

export interface CardUrls {
  roomPage: string;
  joinPage: string;
  csrfToken: string;
}

const PLACEHOLDER = /0{8}-0{4}-0{4}-0{4}-0{12}/;

/** A new card for ``room`` in ``section``; ``updateCard`` fills it in. */
export function buildCard(room: RoomPayload, section: Section, urls: CardUrls): HTMLLIElement {
  const item = element("li", section === "archived" ? "room-card archived" : "room-card");
  item.dataset.roomId = room.id;
  const link = element("a", "room-card-link");
  link.href = urls.roomPage.replace(PLACEHOLDER, room.id);
  const mark = element("span", section === "public" ? "room-mark public" : "room-mark");
  mark.setAttribute("aria-hidden", "true");
  const body = element("span", "room-card-body");
  body.append(element("span", "room-card-name"), element("span", "room-card-meta"));
  link.append(mark, body);
  item.append(link);
  if (section === "mine") {
    const badge = element("span", "unread-count");
    badge.dataset.unreadRoom = room.id;
    link.append(badge);
  }
  if (section === "public") {
    const form = element("form", "room-card-action");
    form.method = "post";
    form.action = urls.joinPage.replace(PLACEHOLDER, room.id);
    const token = element("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = urls.csrfToken;
    const join = element("button", "secondary", "Join");
    join.type = "submit";
    form.append(token, join);
    item.append(form);
  }
  updateCard(item, room);
  return item;
}

/** Shows ``room``'s name, line, description, unread count and join label on its card. */
export function updateCard(item: HTMLElement, room: RoomPayload): void {
  const name = item.querySelector<HTMLElement>(".room-card-name");
  const mark = item.querySelector<HTMLElement>(".room-mark");
  const meta = item.querySelector<HTMLElement>(".room-card-meta");
  if (name && name.textContent !== room.name) name.textContent = room.name;
  if (mark) mark.textContent = room.name.charAt(0).toUpperCase();
  if (meta) meta.textContent = cardMeta(room);
  let description = item.querySelector<HTMLElement>(".room-card-description");
  if (room.description && sectionOf(room) !== "archived") {
    if (!description) {
      description = element("span", "room-card-description");
      item.querySelector(".room-card-body")?.append(description);
    }
    description.textContent = truncated(room.description);
  } else {
    description?.remove();
  }
  const badge = item.querySelector<HTMLElement>("[data-unread-room]");
  if (badge && room.unread_count !== null) showUnread(badge, room.unread_count);
  item.querySelector("form.room-card-action button")?.setAttribute("aria-label", `Join ${room.name}`);
}

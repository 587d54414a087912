// The presence bar: who is in the room now (an avatar with their initial and colour, dimmed
// while away) and the document each is looking at; a click on someone opens that document.
// It also tells the room what this page shows (`presence.viewing`) and whether the tab is in
// view (`presence.status`), again after every reconnect since presence is per connection.

import "./presence.css";
import type { DocumentSummary, RoomContext } from "../context";
import { displayName, type PresenceMember, type UserSummary } from "../room-socket/events";
import type { RoomSocket } from "../room-socket/socket";
import { element } from "../ui/dom";

export function avatarFor(user: UserSummary, className = "avatar"): HTMLSpanElement {
  const avatar = element("span", className, (displayName(user).trim()[0] ?? "?").toUpperCase());
  avatar.style.background = user.color;
  avatar.setAttribute("aria-hidden", "true");
  return avatar;
}

export function mountPresence(region: HTMLElement, context: RoomContext, socket: RoomSocket): void {
  region.classList.remove("region-placeholder");
  region.classList.add("presence-live");
  region.replaceChildren();
  const list = element("ul", "presence-list");
  list.setAttribute("aria-label", "People in this room");
  const status = element("span", "presence-status");
  status.setAttribute("role", "status");
  region.append(list, status);

  const members = new Map<number, PresenceMember>();
  const documents = new Map<string, DocumentSummary>(
    [...context.documents, ...context.whiteboards].map((d) => [d.id, d]),
  );

  const documentOf = (id: string | null): { title: string; url: string } | null => {
    if (!id) return null;
    const known = documents.get(id);
    if (known) return known;
    return { title: "another document", url: context.urls.documentPage.replace(/0{8}-0{4}-0{4}-0{4}-0{12}/, id) };
  };

  const render = () => {
    const people = [...members.values()].sort((a, b) => {
      if (a.user.id === context.user.id) return -1;
      if (b.user.id === context.user.id) return 1;
      return displayName(a.user).localeCompare(displayName(b.user));
    });
    list.replaceChildren(
      ...people.map((member) => {
        const mine = member.user.id === context.user.id;
        const name = displayName(member.user) + (mine ? " (you)" : "");
        const viewing = documentOf(member.viewing);
        const where = viewing ? `viewing ${viewing.title}` : "in the room";
        const away = member.status === "away" ? ", away" : "";
        const item = element("li", "presence-person");
        item.dataset.user = member.user.username;
        item.dataset.status = member.status;
        if (member.viewing) item.dataset.viewing = member.viewing;
        const canJump = !mine && viewing !== null && member.viewing !== context.current?.id;
        const control = canJump ? element("a", "presence-chip") : element("span", "presence-chip");
        if (control instanceof HTMLAnchorElement && viewing) {
          control.href = viewing.url;
          control.setAttribute("aria-label", `${name}${away}, ${where}: open it`);
        } else {
          control.setAttribute("aria-label", `${name}${away}, ${where}`);
        }
        control.title = `${name}${away} · ${where}`;
        const label = element("span", "presence-label");
        label.append(element("span", "presence-name", name));
        if (viewing) label.append(element("span", "presence-doc", viewing.title));
        label.setAttribute("aria-hidden", "true");
        control.append(avatarFor(member.user, "avatar presence-avatar"), label);
        item.append(control);
        return item;
      }),
    );
  };

  socket.on("presence.snapshot", (event) => {
    members.clear();
    for (const member of event.members) members.set(member.user.id, member);
    render();
  });
  const upsert = (event: { user: UserSummary; status: PresenceMember["status"]; viewing: string | null }) => {
    const known = members.get(event.user.id);
    members.set(event.user.id, { user: event.user, status: event.status, viewing: event.viewing, connections: known?.connections ?? 1 });
    render();
  };
  socket.on("presence.join", upsert);
  socket.on("presence.update", upsert);
  socket.on("presence.leave", (event) => {
    members.delete(event.user.id);
    render();
  });

  const announce = () => {
    socket.send({ type: "presence.viewing", document: context.current?.id ?? null });
    if (document.visibilityState === "hidden") socket.send({ type: "presence.status", status: "away" });
  };
  socket.onState((state, code) => {
    if (state === "open") {
      status.textContent = "";
      announce();
    } else if (state === "closed" && code !== undefined) {
      status.textContent = "Disconnected from the room.";
    } else if (state === "waiting") {
      status.textContent = "Reconnecting…";
    }
  });
  document.addEventListener("visibilitychange", () => {
    socket.send({ type: "presence.status", status: document.visibilityState === "hidden" ? "away" : "online" });
  });
}

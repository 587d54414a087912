// The room page's sidebar kept current by the room socket: its documents and whiteboards
// (created, renamed, locked, archived or restored, deleted; archived ones listed apart) and its members (joined, new role, left). After each
// (re)connect (the socket's `presence.snapshot`, sent once it is subscribed) both lists are read
// again from the REST API, so an event missed while disconnected is not missed for good (nor
// the open document's new title).

import { apiGetAll } from "../api";
import type { RoomContext } from "../context";
import type { DocumentPayload, MemberPayload } from "../room-socket/events";
import type { RoomSocket } from "../room-socket/socket";
import { element } from "../ui/dom";
import { LiveList, reconcileChildren } from "./live-list";

const ICONS = {
  text: "M4 1.75h5l3.25 3.25v9.25H4z M9 1.75V5h3.25 M6 8.5h4 M6 11h4",
  whiteboard: "M1.75 2.75h12.5v8.5H1.75z M5.5 14.25 8 11.25l2.5 3 M4.5 8.5l2.5-3 2 2 2.5-3",
};
const ROLE_LABELS = { owner: "Owner", editor: "Editor", commenter: "Commenter", viewer: "Viewer" };
const SVG = "http://www.w3.org/2000/svg";

function icon(kind: "text" | "whiteboard"): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "doc-icon");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[kind]);
  svg.append(path);
  return svg;
}

/** The sidebar list a document shows in: archived ones apart, whatever their kind. */
export function groupOf(document_: DocumentPayload): "text" | "whiteboard" | "archived" {
  return document_.is_archived ? "archived" : document_.kind;
}

/** Documents in the sidebar's order: oldest first, as the server lists them. */
export function byCreation(a: DocumentPayload, b: DocumentPayload): number {
  return a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);
}

/** Members in the sidebar's order: by when they joined. */
export function byJoining(a: MemberPayload, b: MemberPayload): number {
  return a.joined_at.localeCompare(b.joined_at) || a.user.id - b.user.id;
}

function documentRow(existing: HTMLElement | undefined, document_: DocumentPayload, href: string, current: boolean): HTMLElement {
  const item = existing ?? element("li");
  item.dataset.documentId = document_.id;
  let link = item.querySelector("a");
  if (!link) {
    link = element("a");
    item.append(link);
  }
  link.href = href;
  if (current) link.setAttribute("aria-current", "page");
  const name = element("span", "doc-name", document_.title);
  const parts: Node[] = [icon(document_.kind), name];
  if (document_.is_locked) {
    const lock = element("span", "lock", "Locked");
    lock.title = "Locked";
    parts.push(lock);
  }
  const shown = link.querySelector(".doc-name")?.textContent;
  const locked = link.querySelector(".lock") !== null;
  if (shown !== document_.title || locked !== document_.is_locked) link.replaceChildren(...parts);
  return item;
}

function memberRow(existing: HTMLElement | undefined, member: MemberPayload): HTMLElement {
  const item = existing ?? element("li");
  const name = member.user.display_name || member.user.username;
  item.dataset.userId = String(member.user.id);
  const avatar = element("span", "avatar", name.charAt(0).toUpperCase());
  avatar.setAttribute("aria-hidden", "true");
  // As the server renders it (data-color) and person-colors.js applies it.
  avatar.dataset.color = member.user.color;
  avatar.style.setProperty("--person-color", member.user.color);
  item.replaceChildren(avatar, element("span", "member-name", name), " ", element("small", undefined, ROLE_LABELS[member.role]));
  return item;
}

export interface LiveSidebar {
  /** Shows the open document's new title, or that it was deleted. */
  onCurrentChanged(listener: (document_: DocumentPayload | null) => void): void;
}

export function mountLiveSidebar(context: RoomContext, socket: RoomSocket): LiveSidebar {
  const lists = {
    text: document.querySelector<HTMLElement>(".doc-list.documents"),
    whiteboard: document.querySelector<HTMLElement>(".doc-list.whiteboards"),
    archived: document.querySelector<HTMLElement>(".doc-list.archived"),
  };
  const archivedSection = document.querySelector<HTMLElement>("[data-archived-documents]");
  const memberList = document.querySelector<HTMLElement>(".member-list");
  const currentListeners = new Set<(document_: DocumentPayload | null) => void>();
  const rows = new Map<string, HTMLElement>();
  for (const row of document.querySelectorAll<HTMLElement>(".doc-list li[data-document-id]")) rows.set(row.dataset.documentId!, row);
  const memberRows = new Map<string, HTMLElement>();
  // The server-rendered lists stay until the first read.
  let documentsLoaded = false;
  let membersLoaded = false;
  const pageOf = (id: string) => context.urls.documentPage.replace(/0{8}-0{4}-0{4}-0{4}-0{12}/, id);

  const renderDocuments = (documents: DocumentPayload[]) => {
    if (!documentsLoaded) return;
    for (const group of ["text", "whiteboard", "archived"] as const) {
      const list = lists[group];
      if (!list) continue;
      const shown = documents
        .filter((document_) => groupOf(document_) === group)
        .map((document_) => {
          const row = documentRow(rows.get(document_.id), document_, pageOf(document_.id), document_.id === context.current?.id);
          rows.set(document_.id, row);
          return row;
        });
      if (group === "archived") {
        if (archivedSection) archivedSection.hidden = shown.length === 0;
      } else if (shown.length === 0) {
        shown.push(element("li", "empty", group === "text" ? "No documents yet." : "No whiteboards yet."));
      }
      reconcileChildren(list, shown);
    }
    const ids = new Set(documents.map((document_) => document_.id));
    for (const id of [...rows.keys()]) if (!ids.has(id)) rows.delete(id);
  };
  const renderMembers = (members: MemberPayload[]) => {
    if (!membersLoaded || !memberList) return;
    reconcileChildren(
      memberList,
      members.map((member) => {
        const key = String(member.user.id);
        const row = memberRow(memberRows.get(key), member);
        memberRows.set(key, row);
        return row;
      }),
    );
  };
  const documents = new LiveList<DocumentPayload>((document_) => document_.id, byCreation, renderDocuments);
  const members = new LiveList<MemberPayload>((member) => String(member.user.id), byJoining, renderMembers);
  const announce = (document_: DocumentPayload | null) => {
    for (const listener of currentListeners) listener(document_);
  };

  socket.on("presence.snapshot", () => {
    void documents
      .resync(async () => {
        const read = await apiGetAll<DocumentPayload>(context.urls.documents);
        documentsLoaded = true;
        return read;
      })
      .then(() => {
        // A rename missed while the socket was away (or the page was loading) shows too.
        const current = context.current ? documents.get(context.current.id) : undefined;
        if (current && current.title !== context.current?.title) announce(current);
      });
    if (memberList) {
      void members.resync(async () => {
        const read = await apiGetAll<MemberPayload>(context.urls.members);
        membersLoaded = true;
        return read;
      });
    }
  });
  socket.on("document.created", ({ document: created }) => documents.apply({ upsert: created }));
  socket.on("document.updated", ({ document: updated }) => {
    documents.apply({ upsert: updated });
    if (updated.id === context.current?.id) announce(updated);
  });
  socket.on("document.deleted", ({ document: deleted }) => {
    documents.apply({ remove: deleted.id });
    if (deleted.id === context.current?.id) announce(null);
  });
  socket.on("member.joined", ({ member }) => members.apply({ upsert: member }));
  socket.on("member.updated", ({ member }) => members.apply({ upsert: member }));
  socket.on("member.left", ({ user }) => members.apply({ remove: String(user.id) }));
  return { onCurrentChanged: (listener) => void currentListeners.add(listener) };
}

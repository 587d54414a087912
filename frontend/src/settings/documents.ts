// Locking documents (read-only for everyone but the room's owners) and archiving them
// (read-only for everyone, listed apart in the sidebar, until restored). The list follows the room socket (documents created, renamed, locked or deleted elsewhere show at
// once) and is read again after each reconnect.

import { apiGetAll, apiRequest, errorMessage } from "../api";
import { LiveList, reconcileChildren } from "../live/live-list";
import type { DocumentPayload } from "../room-socket/events";
import type { RoomSocket } from "../room-socket/socket";
import { element, errorFor } from "../ui/dom";
import type { SettingsContext } from "./context";

interface Row {
  id: string;
  title: string;
  kind: "text" | "whiteboard";
  isLocked: boolean;
  isArchived: boolean;
  canManage: boolean;
  /** Its place in the list: when it was created. */
  order: number | string;
}

const fromPayload = (document_: DocumentPayload): Row => ({
  id: document_.id,
  title: document_.title,
  kind: document_.kind,
  isLocked: document_.is_locked,
  isArchived: document_.is_archived,
  // The settings page is for the room's owners, who manage every document.
  canManage: true,
  order: document_.created_at,
});

export function mountDocuments(mount: HTMLElement, context: SettingsContext, socket: RoomSocket): void {
  const list = element("ul", "document-rows");
  list.setAttribute("aria-label", "Documents and whiteboards");
  const empty = element("p", "empty-note", "This room has no documents or whiteboards yet.");
  const shown = new Map<string, { item: HTMLLIElement; update(row: Row): void }>();
  const pageOf = (id: string) => context.urls.documentPage.replace(/0{8}-0{4}-0{4}-0{4}-0{12}/, id);

  const build = (row: Row) => {
    const item = element("li", "document-row");
    item.dataset.documentId = row.id;
    const link = element("a", "document-row-title");
    link.href = pageOf(row.id);
    const kind = element("small", undefined, row.kind === "whiteboard" ? "Whiteboard" : "Document");
    const who = element("span", "member-who");
    who.append(link, kind);
    const toggle = element("label", "switch");
    const box = element("input");
    box.type = "checkbox";
    box.id = `lock-${row.id}`;
    toggle.append(box, element("span", undefined, "Locked"));
    const archive = element("button", "secondary small");
    archive.type = "button";
    const error = errorFor(box, `lock-error-${row.id}`);
    const controls = element("span", "member-controls");
    controls.append(toggle, archive);
    item.append(who, controls, error.element);
    let busy = false;
    let current = row;
    const update = (next: Row) => {
      current = next;
      link.textContent = next.title;
      box.setAttribute("aria-label", `Lock ${next.title}`);
      archive.textContent = next.isArchived ? "Restore" : "Archive";
      archive.setAttribute("aria-label", `${next.isArchived ? "Restore" : "Archive"} ${next.title}`);
      if (!busy) {
        box.checked = next.isLocked;
        box.disabled = !next.canManage || context.room.isArchived;
        archive.disabled = !next.canManage || context.room.isArchived;
      }
    };
    archive.addEventListener("click", async () => {
      const archiving = !current.isArchived;
      busy = true;
      archive.disabled = true;
      error.show(null);
      try {
        const updated = await apiRequest<DocumentPayload>(
          "POST",
          `${context.urls.document}${row.id}/${archiving ? "archive" : "restore"}`,
          context.csrfToken,
        );
        busy = false;
        update(fromPayload(updated));
      } catch (reason) {
        error.show(errorMessage(reason, archiving ? "Could not archive it." : "Could not restore it."));
      } finally {
        busy = false;
        archive.disabled = !current.canManage || context.room.isArchived;
      }
    });
    box.addEventListener("change", async () => {
      const wanted = box.checked;
      busy = true;
      box.disabled = true;
      error.show(null);
      try {
        const updated = await apiRequest<DocumentPayload>(
          "POST",
          `${context.urls.document}${row.id}/${wanted ? "lock" : "unlock"}`,
          context.csrfToken,
        );
        box.checked = updated.is_locked;
      } catch (reason) {
        box.checked = !wanted;
        error.show(errorMessage(reason, wanted ? "Could not lock it." : "Could not unlock it."));
      } finally {
        busy = false;
        box.disabled = false;
      }
    });
    update(row);
    return { item, update };
  };

  const render = (rows: Row[]) => {
    const items = rows.map((row) => {
      let entry = shown.get(row.id);
      if (entry) entry.update(row);
      else shown.set(row.id, (entry = build(row)));
      return entry.item;
    });
    const ids = new Set(rows.map((row) => row.id));
    for (const id of [...shown.keys()]) if (!ids.has(id)) shown.delete(id);
    reconcileChildren(list, items);
    mount.replaceChildren(rows.length ? list : empty);
  };
  // Rendered ones (their index) before those created since (their time) until the first read.
  const byOrder = (a: Row, b: Row) => {
    if (typeof a.order !== typeof b.order) return typeof a.order === "number" ? -1 : 1;
    return a.order < b.order ? -1 : a.order > b.order ? 1 : a.id.localeCompare(b.id);
  };
  const rows = new LiveList<Row>(
    (row) => row.id,
    byOrder,
    render,
    context.documents.map((document_, index) => ({ ...document_, order: index })),
  );
  render(rows.all());

  socket.on("document.created", ({ document: created }) => rows.apply({ upsert: fromPayload(created) }));
  socket.on("document.updated", ({ document: updated }) => rows.apply({ upsert: fromPayload(updated) }));
  socket.on("document.deleted", ({ document: deleted }) => rows.apply({ remove: deleted.id }));
  socket.on("presence.snapshot", () => void rows.resync(async () => (await apiGetAll<DocumentPayload>(context.urls.documents)).map(fromPayload)));
}

// Locking documents: a locked document is read-only for everyone but the room's owners.

import { apiRequest, errorMessage } from "../api";
import { element, errorFor } from "../ui/dom";
import type { SettingsContext } from "./context";

interface DocumentBody {
  id: string;
  is_locked: boolean;
}

export function mountDocuments(mount: HTMLElement, context: SettingsContext): void {
  if (context.documents.length === 0) {
    mount.replaceChildren(element("p", "empty-note", "This room has no documents or whiteboards yet."));
    return;
  }
  const list = element("ul", "document-rows");
  list.setAttribute("aria-label", "Documents and whiteboards");
  for (const document_ of context.documents) {
    const item = element("li", "document-row");
    item.dataset.documentId = document_.id;
    const link = element("a", "document-row-title", document_.title);
    link.href = document_.url;
    const kind = element("small", undefined, document_.kind === "whiteboard" ? "Whiteboard" : "Document");
    const who = element("span", "member-who");
    who.append(link, kind);
    const toggle = element("label", "switch");
    const box = element("input");
    box.type = "checkbox";
    box.id = `lock-${document_.id}`;
    box.checked = document_.isLocked;
    box.disabled = !document_.canManage || context.room.isArchived;
    box.setAttribute("aria-label", `Lock ${document_.title}`);
    toggle.append(box, element("span", undefined, "Locked"));
    const error = errorFor(box, `lock-error-${document_.id}`);
    item.append(who, toggle, error.element);
    box.addEventListener("change", async () => {
      const wanted = box.checked;
      box.disabled = true;
      error.show(null);
      try {
        const updated = await apiRequest<DocumentBody>(
          "POST",
          `${context.urls.document}${document_.id}/${wanted ? "lock" : "unlock"}`,
          context.csrfToken,
        );
        box.checked = updated.is_locked;
      } catch (reason) {
        box.checked = !wanted;
        error.show(errorMessage(reason, wanted ? "Could not lock it." : "Could not unlock it."));
      } finally {
        box.disabled = false;
      }
    });
    list.append(item);
  }
  mount.replaceChildren(list);
}

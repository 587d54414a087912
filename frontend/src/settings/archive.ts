// Archiving the room: everything in it becomes read-only; owners can restore it.

import { apiRequest, errorMessage } from "../api";
import { confirmAction } from "../ui/confirm";
import { element, errorFor } from "../ui/dom";
import type { SettingsContext } from "./context";

interface RoomBody {
  is_archived: boolean;
}

export function mountArchive(mount: HTMLElement, context: SettingsContext): void {
  const text = element("p", "card-intro");
  const button = element("button");
  button.type = "button";
  const error = errorFor(button, "archive-error");
  const render = () => {
    const archived = context.room.isArchived;
    text.textContent = archived
      ? "This room is archived: its documents, whiteboards and chat are read-only. Restore it to work in it again."
      : "Archiving makes the room's documents, whiteboards and chat read-only for everyone. You can restore it later.";
    button.textContent = archived ? "Restore the room" : "Archive the room";
    button.className = archived ? "" : "danger";
    document.querySelector<HTMLElement>("[data-archived-notice]")?.toggleAttribute("hidden", !archived);
  };
  button.addEventListener("click", async () => {
    const archiving = !context.room.isArchived;
    if (archiving) {
      const confirmed = await confirmAction({
        title: `Archive ${context.room.name}?`,
        body: "Everyone keeps reading it, nobody can change it, until an owner restores it.",
        confirm: "Archive",
        danger: true,
      });
      if (!confirmed) return;
    }
    button.disabled = true;
    error.show(null);
    try {
      const room = await apiRequest<RoomBody>("PATCH", context.urls.room, context.csrfToken, { is_archived: archiving });
      context.room.isArchived = room.is_archived;
      render();
    } catch (reason) {
      error.show(errorMessage(reason, "Could not change it."));
    } finally {
      button.disabled = false;
    }
  });
  render();
  mount.replaceChildren(text, button, error.element);
}

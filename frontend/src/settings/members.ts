// Members and roles: change a member's role, remove a member, add someone by username. The
// list follows the room socket: members added, changed or removed by another owner (or who
// joined by themselves) show at once, and the list is read again after each reconnect.

import { apiGetAll, apiRequest, errorMessage } from "../api";
import type { Role } from "../context";
import { LiveList, reconcileChildren } from "../live/live-list";
import { byJoining } from "../live/sidebar";
import type { MemberPayload } from "../room-socket/events";
import type { RoomSocket } from "../room-socket/socket";
import { confirmAction } from "../ui/confirm";
import { element, errorFor } from "../ui/dom";
import { roleSelect, type SettingsContext } from "./context";

type Member = MemberPayload;

export async function mountMembers(mount: HTMLElement, context: SettingsContext, socket: RoomSocket): Promise<void> {
  const { csrfToken, urls } = context;
  const list = element("ul", "member-rows");
  list.setAttribute("aria-label", "Members");
  const status = element("p", "panel-status");
  status.setAttribute("role", "status");

  // Each shown member's role control, to show a role changed elsewhere.
  const selects = new Map<number, { select: HTMLSelectElement; member: Member }>();
  const rows = new Map<number, HTMLLIElement>();
  const row = (member: Member): HTMLLIElement => {
    const { user } = member;
    const item = element("li", "member-row");
    item.dataset.userId = String(user.id);
    const avatar = element("span", "avatar", (user.display_name || user.username).charAt(0).toUpperCase());
    avatar.style.background = user.color;
    avatar.setAttribute("aria-hidden", "true");
    const who = element("span", "member-who");
    who.append(element("span", "member-name", user.display_name || user.username), element("small", undefined, `@${user.username}${user.id === context.user.id ? " · you" : ""}`));
    const label = element("label", "visually-hidden", `Role of ${user.display_name || user.username}`);
    label.htmlFor = `role-${user.id}`;
    const select = roleSelect(`role-${user.id}`, member.role);
    selects.set(user.id, { select, member });
    const remove = element("button", "secondary small", user.id === context.user.id ? "Leave" : "Remove");
    remove.type = "button";
    remove.setAttribute("aria-label", user.id === context.user.id ? "Leave the room" : `Remove ${user.display_name || user.username}`);
    const error = errorFor(select, `member-error-${user.id}`);
    const controls = element("span", "member-controls");
    controls.append(label, select, remove);
    item.append(avatar, who, controls, error.element);

    select.addEventListener("change", async () => {
      const previous = member.role;
      const wanted = select.value as Role;
      select.disabled = true;
      error.show(null);
      try {
        const updated = await apiRequest<Member>("PATCH", `${urls.members}/${user.id}`, csrfToken, { role: wanted });
        member.role = updated.role;
        status.textContent = `${user.display_name || user.username} is now ${updated.role === "owner" ? "an" : "a"} ${updated.role}.`;
      } catch (reason) {
        select.value = previous;
        error.show(errorMessage(reason, "Could not change the role."));
      } finally {
        select.disabled = false;
      }
    });
    remove.addEventListener("click", async () => {
      const self = user.id === context.user.id;
      const confirmed = await confirmAction({
        title: self ? "Leave this room?" : `Remove ${user.display_name || user.username}?`,
        body: self
          ? "You lose access to its documents and chat unless someone invites you again."
          : "They lose access to the room's documents and chat at once; their open documents close within seconds.",
        confirm: self ? "Leave" : "Remove",
        danger: true,
      });
      if (!confirmed) return;
      remove.disabled = true;
      error.show(null);
      try {
        await apiRequest("DELETE", `${urls.members}/${user.id}`, csrfToken);
        if (self) {
          window.location.assign("/");
          return;
        }
        members.apply({ remove: String(user.id) });
        status.textContent = `Removed ${user.display_name || user.username}.`;
      } catch (reason) {
        error.show(errorMessage(reason, "Could not remove them."));
        remove.disabled = false;
      }
    });
    return item;
  };

  const addForm = element("form", "inline-form");
  addForm.setAttribute("aria-labelledby", "add-member-heading");
  const addHeading = element("h3", "panel-subheading", "Add a member");
  addHeading.id = "add-member-heading";
  const nameLabel = element("label", undefined, "Username");
  nameLabel.htmlFor = "add-member-username";
  const nameInput = element("input");
  nameInput.id = "add-member-username";
  nameInput.name = "username";
  nameInput.required = true;
  nameInput.autocomplete = "off";
  const roleLabelElement = element("label", undefined, "Role");
  roleLabelElement.htmlFor = "add-member-role";
  const addRole = roleSelect("add-member-role", "editor");
  const addButton = element("button", undefined, "Add");
  addButton.type = "submit";
  const addError = errorFor(nameInput, "add-member-error");
  const fields = element("div", "inline-form-row");
  const nameField = element("span", "inline-field");
  nameField.append(nameLabel, nameInput);
  const roleField = element("span", "inline-field");
  roleField.append(roleLabelElement, addRole);
  fields.append(nameField, roleField, addButton);
  addForm.append(addHeading, fields, addError.element);
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    addButton.disabled = true;
    addError.show(null);
    try {
      const added = await apiRequest<Member>("POST", urls.members, csrfToken, { username: nameInput.value.trim(), role: addRole.value });
      members.apply({ upsert: added });
      nameInput.value = "";
      status.textContent = `Added ${added.user.display_name || added.user.username}.`;
    } catch (reason) {
      addError.show(errorMessage(reason, "Could not add them."));
      nameInput.focus();
    } finally {
      addButton.disabled = false;
    }
  });

  const render = (shown: Member[]) => {
    const items = shown.map((member) => {
      let item = rows.get(member.user.id);
      const control = selects.get(member.user.id);
      if (!item) rows.set(member.user.id, (item = row(member)));
      else if (control && !control.select.disabled) {
        control.member.role = member.role;
        control.select.value = member.role;
      }
      return item;
    });
    const ids = new Set(shown.map((member) => member.user.id));
    for (const id of [...rows.keys()]) {
      if (!ids.has(id)) {
        rows.delete(id);
        selects.delete(id);
      }
    }
    reconcileChildren(list, items);
  };
  const members = new LiveList<Member>((member) => String(member.user.id), byJoining, render);
  socket.on("member.joined", ({ member }) => members.apply({ upsert: member }));
  socket.on("member.updated", ({ member }) => members.apply({ upsert: member }));
  socket.on("member.left", ({ user }) => members.apply({ remove: String(user.id) }));
  // Read again once the socket is subscribed (each reconnect): nothing missed stays missed.
  socket.on("presence.snapshot", () => void members.resync(() => apiGetAll<Member>(urls.members)));

  try {
    await members.resync(async () => {
      const read = await apiGetAll<Member>(urls.members);
      mount.replaceChildren(list, status, addForm);
      return read;
    });
    if (!list.isConnected) throw new Error("not loaded");
  } catch (reason) {
    mount.replaceChildren(element("p", "field-error", errorMessage(reason, "Could not load the members.")));
  }
}

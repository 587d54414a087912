// Invite links: create one (role, expiry, uses), copy it, revoke it.

import { apiGetAll, apiRequest, errorMessage } from "../api";
import type { Role } from "../context";
import { confirmAction } from "../ui/confirm";
import { element, errorFor } from "../ui/dom";
import { timeElement } from "../ui/time";
import { roleLabel, roleSelect, type SettingsContext, type UserSummary } from "./context";

interface Invite {
  id: number;
  token: string;
  role: Role;
  expires_at: string | null;
  max_uses: number | null;
  use_count: number;
  created_at: string;
  created_by: UserSummary | null;
}

const EXPIRIES: { label: string; seconds: number | null }[] = [
  { label: "In a day", seconds: 86_400 },
  { label: "In a week", seconds: 7 * 86_400 },
  { label: "In 30 days", seconds: 30 * 86_400 },
  { label: "Never", seconds: null },
];

async function copyText(text: string, input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (or not a secure context): the old way, from the selected input.
    input.focus();
    input.select();
    return document.execCommand("copy");
  }
}

export async function mountInvites(mount: HTMLElement, context: SettingsContext): Promise<void> {
  const { csrfToken, urls } = context;
  const linkOf = (invite: Invite) => new URL(urls.invitePage.replace("TOKEN", invite.token), window.location.origin).href;
  const list = element("ul", "invite-rows");
  list.setAttribute("aria-label", "Active invite links");
  const empty = element("p", "empty-note", "No active invite links.");
  const status = element("p", "panel-status");
  status.setAttribute("role", "status");

  const refreshEmpty = () => {
    empty.hidden = list.children.length > 0;
  };

  const row = (invite: Invite): HTMLLIElement => {
    const item = element("li", "invite-row");
    item.dataset.inviteId = String(invite.id);
    const summary = element("p", "invite-summary");
    summary.append(element("strong", undefined, roleLabel(invite.role)), " · ");
    if (invite.expires_at) summary.append("expires ", timeElement(invite.expires_at));
    else summary.append("never expires");
    summary.append(` · used ${invite.use_count}${invite.max_uses ? ` of ${invite.max_uses}` : ""} time${invite.use_count === 1 && !invite.max_uses ? "" : "s"}`);
    const linkLabel = element("label", "visually-hidden", `Invite link (${roleLabel(invite.role).toLowerCase()})`);
    linkLabel.htmlFor = `invite-link-${invite.id}`;
    const input = element("input", "invite-link");
    input.id = `invite-link-${invite.id}`;
    input.readOnly = true;
    input.value = linkOf(invite);
    input.addEventListener("focus", () => input.select());
    const copy = element("button", "small", "Copy link");
    copy.type = "button";
    const revoke = element("button", "secondary small", "Revoke");
    revoke.type = "button";
    revoke.setAttribute("aria-label", `Revoke the ${roleLabel(invite.role).toLowerCase()} invite link`);
    const error = errorFor(input, `invite-error-${invite.id}`);
    const controls = element("div", "invite-controls");
    controls.append(linkLabel, input, copy, revoke);
    item.append(summary, controls, error.element);

    let reset: number | undefined;
    copy.addEventListener("click", async () => {
      error.show(null);
      if (await copyText(input.value, input)) {
        copy.textContent = "Copied";
        status.textContent = "The invite link is copied to the clipboard.";
        window.clearTimeout(reset);
        reset = window.setTimeout(() => (copy.textContent = "Copy link"), 2500);
      } else {
        error.show("Could not copy: select the link and copy it yourself.");
      }
    });
    revoke.addEventListener("click", async () => {
      const confirmed = await confirmAction({
        title: "Revoke this invite link?",
        body: "Nobody can join with it any more. People who already joined stay members.",
        confirm: "Revoke",
        danger: true,
      });
      if (!confirmed) return;
      revoke.disabled = true;
      error.show(null);
      try {
        await apiRequest("DELETE", `${urls.invites}/${invite.id}`, csrfToken);
        item.remove();
        refreshEmpty();
        status.textContent = "The invite link is revoked.";
      } catch (reason) {
        error.show(errorMessage(reason, "Could not revoke it."));
        revoke.disabled = false;
      }
    });
    return item;
  };

  const form = element("form", "inline-form");
  form.setAttribute("aria-labelledby", "new-invite-heading");
  const heading = element("h3", "panel-subheading", "New invite link");
  heading.id = "new-invite-heading";
  const field = (labelText: string, control: HTMLElement) => {
    const wrapper = element("span", "inline-field");
    const label = element("label", undefined, labelText);
    label.htmlFor = control.id;
    wrapper.append(label, control);
    return wrapper;
  };
  const role = roleSelect("invite-role", "editor");
  const expiry = element("select");
  expiry.id = "invite-expiry";
  EXPIRIES.forEach((choice, index) => expiry.append(new Option(choice.label, String(index), false, index === 1)));
  const uses = element("input");
  uses.id = "invite-uses";
  uses.type = "number";
  uses.min = "1";
  uses.inputMode = "numeric";
  uses.placeholder = "No limit";
  const create = element("button", undefined, "Create link");
  create.type = "submit";
  const formError = errorFor(create, "invite-create-error");
  const fields = element("div", "inline-form-row");
  fields.append(field("Role", role), field("Expires", expiry), field("Uses", uses), create);
  form.append(heading, fields, formError.element);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    create.disabled = true;
    formError.show(null);
    const body: Record<string, unknown> = { role: role.value, expires_in_seconds: EXPIRIES[Number(expiry.value)].seconds };
    if (uses.value) body.max_uses = Number(uses.value);
    try {
      const invite = await apiRequest<Invite>("POST", urls.invites, csrfToken, body);
      const item = row(invite);
      list.prepend(item);
      refreshEmpty();
      uses.value = "";
      status.textContent = "The invite link is ready: copy it and send it.";
      item.querySelector<HTMLInputElement>("input")?.focus();
    } catch (reason) {
      formError.show(errorMessage(reason, "Could not create the link."));
    } finally {
      create.disabled = false;
    }
  });

  try {
    const invites = await apiGetAll<Invite>(urls.invites);
    list.replaceChildren(...invites.map(row));
    refreshEmpty();
    mount.replaceChildren(form, status, list, empty);
  } catch (reason) {
    mount.replaceChildren(element("p", "field-error", errorMessage(reason, "Could not load the invites.")));
  }
}

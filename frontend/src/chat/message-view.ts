// One chat message as a list item: author, time, the server's rendered body, attachment,
// reactions (a toggle each, plus a small picker), the thread's reply count, and the actions
// its reader may take (reply, edit and delete their own). A message still on its way shows
// as pending, one the server refused as failed with a retry.

import { icon } from "../editor/icons";
import { avatarFor } from "../presence/presence";
import { displayName, type Message, type UserSummary } from "../room-socket/events";
import { element } from "../ui/dom";
import { timeElement } from "../ui/time";

export const QUICK_REACTIONS = ["👍", "❤️", "😄", "🎉", "👀", "✅"];

export interface MessageActions {
  react(message: Message, emoji: string, add: boolean): void;
  openThread(message: Message): void;
  edit(message: Message, body: string): void;
  remove(message: Message): void;
  retry(clientId: string): void;
}

export interface ViewOptions {
  me: { id: number; isOwner: boolean; canPost: boolean };
  actions: MessageActions;
  /** In a thread, replies have no reply button of their own. */
  inThread: boolean;
}

/** A message typed here that the server has not confirmed yet. */
export interface PendingMessage {
  clientId: string;
  body: string;
  parent: number | null;
  failed: string | null;
  author: UserSummary;
  createdAt: string;
}

function header(author: UserSummary | null, createdAt: string, edited: boolean): HTMLElement {
  const head = element("div", "chat-message-head");
  if (author) {
    head.append(avatarFor(author, "avatar chat-avatar"));
    const name = element("span", "chat-author", displayName(author));
    name.style.color = author.color;
    head.append(name);
  }
  head.append(timeElement(createdAt));
  if (edited) head.append(element("span", "chat-edited", "(edited)"));
  return head;
}

function button(label: string, text: string, onClick: () => void, className = "chat-action"): HTMLButtonElement {
  const control = element("button", className, text);
  control.type = "button";
  control.setAttribute("aria-label", label);
  control.title = label;
  control.addEventListener("click", onClick);
  return control;
}

function reactionBar(message: Message, options: ViewOptions): HTMLElement {
  const bar = element("div", "chat-reactions");
  for (const reaction of message.reactions) {
    const mine = reaction.user_ids.includes(options.me.id);
    const chip = button(
      `${reaction.emoji} ${reaction.count}: ${mine ? "take back your reaction" : "react with " + reaction.emoji}`,
      `${reaction.emoji} ${reaction.count}`,
      () => options.actions.react(message, reaction.emoji, !mine),
      "chat-reaction",
    );
    chip.setAttribute("aria-pressed", String(mine));
    chip.disabled = !options.me.canPost;
    chip.dataset.emoji = reaction.emoji;
    bar.append(chip);
  }
  return bar;
}

function reactionPicker(message: Message, options: ViewOptions): HTMLElement {
  const wrap = element("div", "chat-picker");
  const picker = element("div", "chat-picker-menu");
  picker.setAttribute("role", "group");
  picker.setAttribute("aria-label", "Pick a reaction");
  picker.hidden = true;
  const toggle = button("Add a reaction", "", () => {
    picker.hidden = !picker.hidden;
    toggle.setAttribute("aria-expanded", String(!picker.hidden));
    if (!picker.hidden) picker.querySelector("button")?.focus();
  });
  toggle.append(icon("addReaction"));
  toggle.setAttribute("aria-expanded", "false");
  for (const emoji of QUICK_REACTIONS) {
    const mine = message.reactions.some((r) => r.emoji === emoji && r.user_ids.includes(options.me.id));
    picker.append(
      button(`React with ${emoji}`, emoji, () => {
        picker.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
        options.actions.react(message, emoji, !mine);
        toggle.focus();
      }, "chat-picker-emoji"),
    );
  }
  picker.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.stopPropagation();
    picker.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
  wrap.append(toggle, picker);
  return wrap;
}

function editForm(item: HTMLElement, body: HTMLElement, message: Message, options: ViewOptions): void {
  const form = element("form", "chat-edit");
  const input = element("textarea");
  input.value = message.body;
  input.rows = Math.min(6, message.body.split("\n").length + 1);
  input.setAttribute("aria-label", "Edit your message");
  const save = element("button", "small", "Save");
  save.type = "submit";
  const cancel = element("button", "small secondary", "Cancel");
  cancel.type = "button";
  const close = () => {
    form.remove();
    body.hidden = false;
    item.querySelector<HTMLButtonElement>("[data-action=edit]")?.focus();
  };
  cancel.addEventListener("click", close);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text && text !== message.body) options.actions.edit(message, text);
    close();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.append(input, element("div", "chat-edit-actions"));
  form.lastElementChild!.append(save, cancel);
  body.hidden = true;
  body.after(form);
  input.focus();
}

export function renderMessage(message: Message, options: ViewOptions): HTMLLIElement {
  const item = element("li", `chat-message kind-${message.kind}`);
  item.dataset.messageId = String(message.id);
  if (message.client_id) item.dataset.clientId = message.client_id;
  const deleted = message.deleted_at !== null;
  if (deleted) item.classList.add("deleted");
  item.append(header(message.author, message.created_at, message.edited_at !== null && !deleted));

  const body = element("div", "chat-body");
  if (deleted) body.textContent = "This message was deleted.";
  else body.innerHTML = message.body_html; // rendered and sanitized by the server
  item.append(body);
  if (message.attachment && !deleted) {
    const link = element("a", "chat-attachment", message.attachment.filename);
    link.href = message.attachment.url;
    link.download = message.attachment.filename;
    item.append(link);
  }
  if (deleted || message.kind === "system") return item;

  if (message.reactions.length) item.append(reactionBar(message, options));
  const actions = element("div", "chat-actions");
  if (options.me.canPost) actions.append(reactionPicker(message, options));
  if (!options.inThread && message.parent === null && (options.me.canPost || message.reply_count > 0)) {
    const replies = message.reply_count;
    const label = replies ? `${replies} ${replies === 1 ? "reply" : "replies"}` : "Reply";
    const thread = button(replies ? `${label}: open the thread` : "Reply in a thread", label, () => options.actions.openThread(message));
    thread.classList.add("chat-thread-link");
    thread.dataset.replies = String(replies);
    actions.append(thread);
  }
  const mine = message.author?.id === options.me.id;
  if (mine && message.kind === "text") {
    const edit = button("Edit your message", "Edit", () => editForm(item, body, message, options));
    edit.dataset.action = "edit";
    actions.append(edit);
  }
  if (mine || options.me.isOwner) actions.append(button("Delete this message", "Delete", () => options.actions.remove(message)));
  item.append(actions);
  return item;
}

export function renderPending(pending: PendingMessage, options: ViewOptions): HTMLLIElement {
  const item = element("li", "chat-message pending");
  item.dataset.clientId = pending.clientId;
  item.append(header(pending.author, pending.createdAt, false));
  item.append(element("div", "chat-body chat-plain", pending.body));
  const state = element("div", "chat-pending-state");
  if (pending.failed) {
    item.classList.add("failed");
    state.setAttribute("role", "alert");
    state.append(element("span", "", `Not sent: ${pending.failed}`));
    state.append(button("Retry sending this message", "Retry", () => options.actions.retry(pending.clientId), "chat-action chat-retry"));
  } else {
    state.textContent = "Sending…";
  }
  item.append(state);
  return item;
}

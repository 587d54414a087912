// Mention autocomplete for a chat box: typing "@" lists the room's members (and @room),
// filtered by what follows as it is typed; ArrowUp/ArrowDown move, Enter or Tab inserts
// "@username ", Escape closes. The box is an ARIA combobox whose list is a listbox, so the
// choice is read out. Members are fetched once, when the first "@" is typed.

import "./mentions.css";
import { apiGetAll } from "../api";
import type { UserSummary } from "../room-socket/events";
import { element } from "../ui/dom";
import { insertMention, mentionCandidates, typedMention, type TypedMention } from "./mention-query";

interface Member {
  user: UserSummary;
}

let lists = 0;

/** One person in a mention list; a click picks them and leaves the focus where it is. */
export function mentionOption(id: string, user: UserSummary, pick: (user: UserSummary) => void): HTMLLIElement {
  const option = element("li", "mention-option");
  option.id = id;
  option.setAttribute("role", "option");
  option.dataset.username = user.username;
  option.append(element("span", "mention-name", user.display_name || user.username), element("span", "mention-username", `@${user.username}`));
  option.addEventListener("mousedown", (event) => {
    event.preventDefault(); // keep the focus in the box or the text
    pick(user);
  });
  return option;
}

/** The members of a room as mention candidates, fetched once per page. */
export function membersFrom(url: string): () => Promise<UserSummary[]> {
  let members: Promise<UserSummary[]> | null = null;
  return () => {
    members ??= apiGetAll<Member>(url).then(
      (data) => data.map((member) => member.user),
      (reason) => {
        members = null;
        throw reason;
      },
    );
    return members;
  };
}

/** Adds autocomplete to ``input``; call before the box's own Enter handler is added (this
 * one marks the keys it uses with ``preventDefault``). Returns the list to place after it. */
export function attachMentions(input: HTMLTextAreaElement, members: () => Promise<UserSummary[]>): HTMLElement {
  const id = `mention-list-${++lists}`;
  const list = element("ul", "mention-list");
  list.id = id;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "People to mention");
  list.hidden = true;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", id);
  input.setAttribute("aria-expanded", "false");

  let shown: UserSummary[] = [];
  let active = 0;
  let typed: TypedMention | null = null;

  const close = () => {
    list.hidden = true;
    shown = [];
    typed = null;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const highlight = (index: number) => {
    active = (index + shown.length) % shown.length;
    list.querySelectorAll("[role=option]").forEach((option, at) => option.setAttribute("aria-selected", String(at === active)));
    input.setAttribute("aria-activedescendant", `${id}-${active}`);
  };
  const pick = (user: UserSummary) => {
    if (!typed) return;
    const { text, caret } = insertMention(input.value, typed.start, input.selectionStart ?? input.value.length, user.username);
    input.value = text;
    input.setSelectionRange(caret, caret);
    close();
    input.focus();
  };
  const render = () => {
    list.replaceChildren(
      ...shown.map((user, at) => mentionOption(`${id}-${at}`, user, pick)),
    );
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    if (shown.length) highlight(0);
  };

  const update = async () => {
    typed = typedMention(input.value, input.selectionStart ?? input.value.length);
    if (!typed) return close();
    const { query } = typed;
    let everyone: UserSummary[];
    try {
      everyone = await members();
    } catch {
      return close();
    }
    if (typed?.query !== query) return; // typed on meanwhile
    shown = mentionCandidates(everyone, query);
    render();
  };

  input.addEventListener("input", () => void update());
  input.addEventListener("click", () => void update());
  input.addEventListener("blur", () => window.setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (list.hidden || !shown.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey) {
      event.preventDefault();
      pick(shown[active]);
    } else if (event.key === "Escape") {
      event.preventDefault(); // closes the list, not the thread or the drawer
      event.stopPropagation();
      close();
    }
  });
  return list;
}

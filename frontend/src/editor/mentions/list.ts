// The list a document shows while "@name" is typed: an ARIA listbox under the caret, its
// options the matching members. The text keeps the focus (the list is its
// aria-activedescendant); ArrowUp/ArrowDown move, Enter or Tab picks, Escape closes.

import type { SuggestionKeyDownProps, SuggestionProps } from "@tiptap/suggestion";
import type { UserSummary } from "../../room-socket/events";
import { element } from "../../ui/dom";
import { mentionOption } from "../../chat/mentions";
import "./mentions.css";
import { mentionAttrs, movedOption } from "./suggestions";

type Props = SuggestionProps<UserSummary, ReturnType<typeof mentionAttrs>>;

let lists = 0;

export function mentionList() {
  const id = `doc-mention-list-${++lists}`;
  const list = element("ul", "mention-list doc-mention-list");
  list.id = id;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "People to mention");
  let props: Props | null = null;
  let active = 0;

  const text = () => props?.editor.view.dom;
  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, at) => option.setAttribute("aria-selected", String(at === active)));
    text()?.setAttribute("aria-activedescendant", `${id}-${active}`);
  };
  const pick = (user: UserSummary) => props?.command(mentionAttrs(user));
  const place = () => {
    const rect = props?.clientRect?.();
    if (!rect) return;
    // Properties, not a style attribute: the page's CSP refuses inline style attributes.
    list.style.left = `${Math.round(rect.left)}px`;
    list.style.top = `${Math.round(rect.bottom + 4)}px`;
  };
  const render = () => {
    const items = props?.items ?? [];
    list.replaceChildren(
      ...items.map((user, at) => mentionOption(`${id}-${at}`, user, pick)),
    );
    list.hidden = items.length === 0;
    const editorText = text();
    editorText?.setAttribute("aria-controls", id);
    editorText?.setAttribute("aria-expanded", String(!list.hidden));
    if (items.length) highlight(Math.min(active, items.length - 1));
    else editorText?.removeAttribute("aria-activedescendant");
    place();
  };
  const close = () => {
    const editorText = text();
    editorText?.removeAttribute("aria-activedescendant");
    editorText?.removeAttribute("aria-controls");
    editorText?.removeAttribute("aria-expanded");
    list.remove();
    props = null;
  };

  return {
    onStart(started: Props) {
      props = started;
      active = 0;
      document.body.append(list);
      render();
    },
    onUpdate(updated: Props) {
      props = updated;
      render();
    },
    onKeyDown({ event }: SuggestionKeyDownProps): boolean {
      const items = props?.items ?? [];
      if (event.key === "Escape") {
        close();
        return true;
      }
      if (!items.length) return false;
      if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey) {
        pick(items[active]);
        return true;
      }
      const next = movedOption(active, event.key, items.length);
      if (next === null) return false;
      highlight(next);
      return true;
    },
    onExit: close,
  };
}

// On a narrow screen the chat panel is a drawer behind a "Chat" button (with the unread
// count); on a wide one the panel is always there and the button is hidden by CSS.

import { element } from "../ui/dom";

export interface ChatDrawer {
  /** Whether the panel can be seen now (the tab in view and, on a phone, the drawer open). */
  isVisible(): boolean;
  setUnread(count: number): void;
  onShown(listener: () => void): void;
}

export function createChatDrawer(panel: HTMLElement, host: HTMLElement): ChatDrawer {
  panel.id ||= "room-chat";
  const toggle = element("button", "chat-toggle");
  toggle.type = "button";
  toggle.setAttribute("aria-controls", panel.id);
  toggle.setAttribute("aria-expanded", "false");
  const label = element("span", "", "Chat");
  const badge = element("span", "unread-count");
  badge.hidden = true;
  toggle.append(label, badge);
  host.append(toggle);

  const listeners: (() => void)[] = [];
  let unread = 0;
  const describe = () => {
    const open = panel.classList.contains("open");
    label.textContent = open ? "Close" : "Chat";
    badge.hidden = open || unread === 0;
    badge.textContent = String(unread);
    toggle.setAttribute("aria-label", open ? "Close the chat" : unread ? `Chat, ${unread} unread` : "Chat");
  };
  const setOpen = (open: boolean) => {
    toggle.setAttribute("aria-expanded", String(open));
    panel.classList.toggle("open", open);
    describe();
    if (open) {
      panel.querySelector<HTMLTextAreaElement>(":scope > .chat-composer textarea")?.focus();
      for (const listener of listeners) listener();
    }
  };
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented && panel.classList.contains("open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") for (const listener of listeners) listener();
  });
  window.matchMedia("(max-width: 720px)").addEventListener("change", () => {
    for (const listener of listeners) listener();
  });

  return {
    isVisible: () => document.visibilityState === "visible" && panel.getClientRects().length > 0,
    setUnread(count) {
      unread = count;
      describe();
    },
    onShown: (listener) => listeners.push(listener),
  };
}

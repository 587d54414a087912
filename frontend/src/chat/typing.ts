// "Ana is typing…": who is typing now, each hidden `expires_in` seconds after their last
// `typing` event, or at once when their message arrives.

import { displayName, type UserSummary } from "../room-socket/events";
import { element } from "../ui/dom";

export interface TypingIndicator {
  element: HTMLElement;
  typing(user: UserSummary, expiresIn: number): void;
  stopped(userId: number): void;
}

function sentence(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}

export function createTypingIndicator(): TypingIndicator {
  const line = element("p", "chat-typing");
  line.setAttribute("aria-live", "polite");
  const typing = new Map<number, { name: string; timer: number }>();
  const render = () => {
    line.textContent = sentence([...typing.values()].map((t) => t.name));
  };
  const stopped = (userId: number) => {
    const entry = typing.get(userId);
    if (!entry) return;
    window.clearTimeout(entry.timer);
    typing.delete(userId);
    render();
  };
  return {
    element: line,
    typing(user, expiresIn) {
      const known = typing.get(user.id);
      if (known) window.clearTimeout(known.timer);
      const timer = window.setTimeout(() => stopped(user.id), expiresIn * 1000);
      typing.set(user.id, { name: displayName(user), timer });
      render();
    },
    stopped,
  };
}

// The title of a message found by search: its author as the chat names them. A system message
// ("bob joined through an invite link.") has no author: it is Collab's own, as the chat shows it.

import { displayName, type Message } from "../room-socket/events";

export const SYSTEM_AUTHOR = "Collab";

export function messageTitle(message: Pick<Message, "author" | "kind" | "parent">): string {
  const author = message.kind === "system" ? SYSTEM_AUTHOR : message.author ? displayName(message.author) : "Someone";
  return message.parent === null ? author : `${author} (in a thread)`;
}

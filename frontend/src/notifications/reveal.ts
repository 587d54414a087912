// A notification's link to a message is the room page with `#message-{id}`: once the chat has
// its history, show that message (in its thread for a reply), as a search result would be.

import { apiGet } from "../api";
import type { ChatPanel } from "../chat/chat";
import type { RoomContext } from "../context";
import type { Message } from "../room-socket/events";

const WITHIN_MS = 10_000;

export async function revealLinkedMessage(context: RoomContext, chat: ChatPanel | null): Promise<void> {
  const match = /^#message-(\d+)$/.exec(window.location.hash);
  if (!match || !chat) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  let message: Message;
  try {
    message = await apiGet<Message>(`${context.urls.messages}/${match[1]}`);
  } catch {
    return; // deleted or no longer visible: the room itself is the best we can show
  }
  const started = Date.now();
  while (Date.now() - started < WITHIN_MS) {
    if (await chat.reveal(message)) return;
    await new Promise((resolve) => window.setTimeout(resolve, 300));
  }
}

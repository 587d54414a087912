// The text side of mention autocomplete: which "@name" is being typed, who matches it, and
// the text once a person is picked.

import type { UserSummary } from "../room-socket/events";

export const SHOWN = 8;
// "@" at the start or after a space or opening punctuation, then the name typed so far.
const TYPED = /(?:^|[\s([{"'])@([\w.+-]{0,150})$/u;

// Mentions everyone in the room; offered after the real members.
const ROOM: UserSummary = { id: 0, username: "room", display_name: "Everyone in the room", color: "" };

export interface TypedMention {
  start: number; // where the "@" is
  query: string; // what follows it, lower-cased
}

/** The mention being typed just before ``caret`` in ``text``, if any. */
export function typedMention(text: string, caret: number): TypedMention | null {
  const found = TYPED.exec(text.slice(0, caret));
  if (!found) return null;
  return { start: caret - found[1].length - 1, query: found[1].toLocaleLowerCase() };
}

/** Whether ``user`` matches ``query`` (lower-cased already): their username, or any word of
 * their display name, starts with it. */
export function mentionMatches(user: UserSummary, query: string): boolean {
  return user.username.toLocaleLowerCase().startsWith(query) || (user.display_name || "").toLocaleLowerCase().split(/\s+/).some((word) => word.startsWith(query));
}

/** The people offered for ``query`` (lower-cased already), then @room. */
export function mentionCandidates(members: UserSummary[], query: string): UserSummary[] {
  return [...members, ROOM].filter((user) => mentionMatches(user, query)).slice(0, SHOWN);
}

/** ``text`` with the mention typed from ``start`` to ``caret`` replaced by "@username ", and
 * where the caret goes: right after it. */
export function insertMention(text: string, start: number, caret: number, username: string): { text: string; caret: number } {
  const before = text.slice(0, start);
  const inserted = `@${username} `;
  const after = text.slice(caret).replace(/^\s/, ""); // one space between, not two
  return { text: before + inserted + after, caret: before.length + inserted.length };
}

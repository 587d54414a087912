// The logic of the document's mention list, apart from its DOM: who is offered for what is
// typed after "@", which option the arrow keys reach, and the node a pick inserts.

import { mentionMatches, SHOWN } from "../../chat/mention-query";
import type { UserSummary } from "../../room-socket/events";

/** The room's members offered for ``query`` (as typed after "@"), at most ``SHOWN``; no
 * @room: a document mentions people, one by one. */
export function documentMentionCandidates(members: UserSummary[], query: string): UserSummary[] {
  const typed = query.toLocaleLowerCase();
  return members.filter((user) => mentionMatches(user, typed)).slice(0, SHOWN);
}

/** The option a key moves to from ``active`` in a list of ``length`` (wrapping round), or
 * ``null`` for a key the list does not move on. */
export function movedOption(active: number, key: string, length: number): number | null {
  if (length === 0) return null;
  const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
  if (!(key in steps)) return null;
  return (active + steps[key] + length) % length;
}

/** The ``mention`` node's attributes for a person (docs: the id as a string, the username
 * at the time as the label). */
export function mentionAttrs(user: UserSummary): { id: string; label: string } {
  return { id: String(user.id), label: user.username };
}

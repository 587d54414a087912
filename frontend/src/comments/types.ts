// A comment thread as the REST API and the room socket's comment events show it
// (rooms/comments/payloads.py; schemas in rooms/room_socket/schemas.py).

import type { ReactionSummary, UserSummary } from "../room-socket/events";

export type ThreadAnchor =
  | { kind: "text"; start: string; end: string; quote: string }
  | { kind: "shape"; shape_id: string };

export interface ThreadComment {
  id: number;
  thread: number;
  author: UserSummary | null;
  body: string;
  /** Rendered and sanitized by the server (mentions linked). */
  body_html: string;
  created_at: string;
  edited_at: string | null;
  reactions: ReactionSummary[];
}

export interface CommentThread {
  id: number;
  document: string;
  author: UserSummary | null;
  anchor: ThreadAnchor;
  resolved: boolean;
  resolved_at: string | null;
  resolved_by: UserSummary | null;
  /** Grows with every change: the copy with the highest one is the newest. */
  revision: number;
  url: string;
  created_at: string;
  comments: ThreadComment[];
}

export interface ThreadChange {
  room: string;
  document: string;
  thread: CommentThread;
  comment_id: number | null;
}

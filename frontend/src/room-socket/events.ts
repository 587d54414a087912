// The room socket's wire contract as the browser sees it: the events the server sends (their
// JSON Schemas are in rooms/room_socket/schemas.py) and the frames the client sends (rooms/room_socket/frames.py).

import type { Role } from "../context";
import type { ThreadChange } from "../comments/types";
import type { AppNotification } from "../notifications/types";

export interface UserSummary {
  id: number;
  username: string;
  display_name: string;
  color: string;
}

export interface ReactionSummary {
  emoji: string;
  count: number;
  user_ids: number[];
}

export interface Attachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}

export interface Message {
  id: number;
  room: string;
  author: UserSummary | null;
  kind: "text" | "system" | "file";
  body: string;
  /** Rendered and sanitized by the server (rooms/chat/markdown.py). */
  body_html: string;
  parent: number | null;
  reply_count: number;
  attachment: Attachment | null;
  client_id: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  reactions: ReactionSummary[];
}

export type PresenceStatus = "online" | "away";

export interface PresenceMember {
  user: UserSummary;
  status: PresenceStatus;
  viewing: string | null;
  connections: number;
}

interface PresenceState {
  room: string;
  user: UserSummary;
  status: PresenceStatus;
  viewing: string | null;
}

interface ReactionChange {
  room: string;
  message_id: number;
  emoji: string;
  user_id: number;
  reactions: ReactionSummary[];
}

/** A document or whiteboard as the REST API shows it (rooms/documents/payloads.py). */
export interface DocumentPayload {
  id: string;
  room: string;
  title: string;
  kind: "text" | "whiteboard";
  is_locked: boolean;
  locked_by: UserSummary | null;
  locked_at: string | null;
  is_archived: boolean;
  archived_at: string | null;
  created_by: UserSummary | null;
  created_at: string;
  updated_at: string;
}

/** A member as the REST API's members list shows one (rooms/membership/payloads.py). */
export interface MemberPayload {
  user: UserSummary;
  role: Role;
  joined_at: string;
}

/** A room as one person's room list shows it (rooms/membership/payloads.py). */
export interface RoomPayload {
  id: string;
  name: string;
  slug: string;
  description: string;
  is_public: boolean;
  max_participants: number;
  join_role: Role;
  invite_min_role: Role;
  is_archived: boolean;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  role: Role | null;
  member_count: number;
  unread_count: number | null;
}

export interface ServerEvents {
  error: { code: string; detail: string; client_id?: string | null };
  "presence.snapshot": {
    room: string;
    members: PresenceMember[];
    last_seen: { user: UserSummary; seen_at: string }[];
  };
  "presence.join": PresenceState;
  "presence.update": PresenceState;
  "presence.leave": { room: string; user: UserSummary; seen_at: string };
  "message.history": { messages: Message[]; has_more: boolean };
  "message.new": { message: Message; parent_reply_count: number | null };
  "message.edited": { message: Message };
  "message.deleted": { message: Message };
  "reaction.added": ReactionChange;
  "reaction.removed": ReactionChange;
  unread: { room: string; user_id: number; last_read_message_id: number | null; count: number };
  typing: { room: string; user: UserSummary; expires_in: number };
  // For this user, in whatever room the socket is (frontend/src/notifications/).
  notification: { notification: AppNotification };
  "notifications.unread": { user_id: number; count: number };
  // The room's documents and members (rooms/room_socket/receivers.py).
  "document.created": { document: DocumentPayload };
  "document.updated": { document: DocumentPayload };
  "document.deleted": { room: string; document: { id: string; kind: "text" | "whiteboard" } };
  "member.joined": { room: string; member: MemberPayload };
  "member.updated": { room: string; member: MemberPayload };
  "member.left": { room: string; user: UserSummary };
  // One person's room list, on /ws/me (room sockets skip them).
  "room.joined": { room: RoomPayload };
  "room.updated": { room: RoomPayload };
  "room.left": { room: string };
  "room.unread": { room: string; count: number };
  /** /ws/me's first event: it is subscribed, so a list read now misses nothing. */
  ready: { user_id: number };
  // A comment thread of a document of the room changed (frontend/src/comments/).
  "comment_thread.created": ThreadChange;
  "comment_thread.resolved": ThreadChange;
  "comment_thread.reopened": ThreadChange;
  "comment_thread.deleted": { room: string; document: string; thread_id: number };
  "comment.created": ThreadChange;
  "comment.edited": ThreadChange;
  "comment.deleted": ThreadChange;
  "comment.reactions": ThreadChange;
}

export type ServerEventType = keyof ServerEvents;

export type ClientFrame =
  | { type: "message.send"; body: string; parent: number | null; client_id: string }
  | { type: "message.edit"; message: number; body: string; client_id?: string }
  | { type: "message.delete"; message: number; client_id?: string }
  | { type: "reaction.add" | "reaction.remove"; message: number; emoji: string; client_id?: string }
  | { type: "typing" }
  | { type: "read"; message?: number }
  | { type: "presence.status"; status: PresenceStatus }
  | { type: "presence.viewing"; document: string | null };

/** A person's name as the chat and the presence bar show it. */
export function displayName(user: UserSummary): string {
  return user.display_name || user.username;
}

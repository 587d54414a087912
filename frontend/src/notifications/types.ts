// A notification as the REST API and the room socket's `notification` event show it
// (rooms/notifications/events.py; schema in rooms/room_socket/schemas.py).

export interface NotificationActor {
  id: number;
  username: string;
  display_name: string;
  color: string;
}

export interface AppNotification {
  id: number;
  kind: "mention" | "reply" | "invite" | "document_shared" | "webhook_disabled" | "comment_reply";
  actor: NotificationActor | null;
  room: { id: string; name: string } | null;
  document: { id: string; title: string } | null;
  message_id: number | null;
  /** The comment thread, for a notification about a comment (its url opens it). */
  thread_id: number | null;
  excerpt: string;
  data: Record<string, unknown>;
  url: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  next: string | null;
  previous: string | null;
  unread_count: number;
  results: AppNotification[];
}

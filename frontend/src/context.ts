// The room page's context, rendered by Django with `json_script` (rooms/pages/views.py).

export type Role = "owner" | "editor" | "commenter" | "viewer";
export type DocumentKind = "text" | "whiteboard";

export interface DocumentSummary {
  id: string;
  title: string;
  kind: DocumentKind;
  isLocked: boolean;
  isArchived: boolean;
  url: string;
}

export interface OpenDocument extends DocumentSummary {
  canWrite: boolean;
}

export interface Person {
  id: number;
  name: string;
  color: string;
  role: Role | null;
}

export interface RoomContext {
  room: { id: string; name: string; isArchived: boolean; url: string };
  documents: DocumentSummary[];
  whiteboards: DocumentSummary[];
  current: OpenDocument | null;
  user: Person;
  permissions: { createDocuments: boolean; keepVersions: boolean; manageRoom: boolean; postMessages: boolean };
  urls: {
    docsSocket: string;
    /** The room socket (chat and presence): ws(s)://HOST/ws/rooms/{room}. */
    roomSocket: string;
    /** The room's messages (REST): newest first, ``?before=<id>`` for older ones. */
    messages: string;
    documents: string;
    /** Room search (REST): ``?q=`` finds documents and messages. */
    search: string;
    /** The room's members (REST), for mention autocomplete. */
    members: string;
    /** Chat file upload (REST, multipart): posts the ``file`` message itself. */
    attachments: string;
    documentPage: string;
    /** The open document's versions (REST), or null with no document open. */
    versions: string | null;
    /** What the signed-in person may do with the open document now (rooms/pages/views.py). */
    access: string | null;
    serviceWorker: string;
    appManifest: string;
  };
  /** The server's limits the page checks before sending (the server checks them again). */
  limits: { attachmentMaxBytes: number; attachmentContentTypes: string[]; imageMaxBytes: number };
  csrfToken: string;
}

export function readContext(id = "room-context"): RoomContext {
  const element = document.getElementById(id);
  if (!element?.textContent) throw new Error(`The page has no #${id} context.`);
  return JSON.parse(element.textContent) as RoomContext;
}

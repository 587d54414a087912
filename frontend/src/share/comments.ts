// Comments on the share page (/s/<secret>) of a comment or edit link: the app's comments panel
// on this one document. Signed in, the person comments as themselves with the link's role;
// a guest reads the comments and is offered "Sign in to comment", which comes back here
// (Google Docs' rule: anonymous viewers do not comment). A view link shows no comments. Live
// events come over the link's own socket (/ws/share-comments/<id>?link=), closed 4401 when the
// link dies; the server checks the link on every request and answers a dead one with 403.

import type { Editor } from "@tiptap/core";
import type { WebsocketProvider } from "y-websocket";
import { mountCommentsOn, type CommentEvents, type CommentsController, type ConnectionStatus } from "../comments/comments";
import type { CommentThread } from "../comments/types";
import type { SyncStatus } from "../sync/connection";
import { element } from "../ui/dom";
import { commentsAllowed, reconnectDelay, type ShareContext } from "./share-rules";

type ChangeHandler = (thread: CommentThread, documentId: string) => void;
type DeletedHandler = (threadId: number, documentId: string) => void;

/** The link's comment socket, reconnecting after a drop until the server says the link is gone. */
class ShareCommentSocket implements CommentEvents {
  state = "connecting";
  private readonly changes: ChangeHandler[] = [];
  private readonly deletions: DeletedHandler[] = [];
  private readonly states: ((state: string) => void)[] = [];
  private attempts = 0;

  constructor(private readonly url: string) {
    this.connect();
  }

  onChange(handler: ChangeHandler): void {
    this.changes.push(handler);
  }

  onDeleted(handler: DeletedHandler): void {
    this.deletions.push(handler);
  }

  onState(listener: (state: string) => void): void {
    this.states.push(listener);
  }

  private setState(state: string): void {
    this.state = state;
    for (const listener of this.states) listener(state);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    socket.addEventListener("message", (message) => {
      const event = JSON.parse(String(message.data)) as { type: string; document: string; thread?: CommentThread; thread_id?: number };
      if (event.type === "ready") {
        this.attempts = 0;
        this.setState("open");
      } else if (event.type === "comment_thread.deleted" && event.thread_id !== undefined) {
        for (const handler of this.deletions) handler(event.thread_id, event.document);
      } else if (event.thread) {
        for (const handler of this.changes) handler(event.thread, event.document);
      }
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401) {
        this.setState("closed"); // the link was revoked or expired: nothing more will come
        return;
      }
      this.setState("connecting");
      window.setTimeout(() => this.connect(), reconnectDelay(this.attempts++));
    });
  }
}

/** The guest editor's connection as comments see it: "live" once the document has arrived. */
function providerStatus(provider: WebsocketProvider): ConnectionStatus {
  const current = (): SyncStatus => (provider.synced ? "live" : "connecting");
  return {
    get status() {
      return current();
    },
    onStatus(listener) {
      const handler = () => listener(current());
      provider.on("sync", handler);
      listener(current());
      return () => provider.off("sync", handler);
    },
  };
}

export function mountShareComments(
  article: HTMLElement,
  context: ShareContext,
  provider: WebsocketProvider,
  editor: Editor | null,
): CommentsController | null {
  const allowed = commentsAllowed(context);
  const flags = article.querySelector<HTMLElement>(".doc-flags");
  const host = article.querySelector<HTMLElement>(".share-main"); // below the header: its flags stay reachable
  if (!allowed.read || !flags || !host) return null;
  const socketUrl = `${context.commentsSocket}/${context.document.id}?link=${encodeURIComponent(context.link)}`;
  const comments = mountCommentsOn({
    documentId: context.document.id,
    user: { id: context.user.id, role: context.role },
    csrfToken: context.csrfToken,
    canComment: allowed.write,
    isOwner: false,
    // The room's members are not the link holder's to list: no @mention suggestions here.
    members: () => Promise.resolve([]),
    flags,
    host,
    events: new ShareCommentSocket(socketUrl),
  });
  if (!context.signedIn) {
    const signIn = element("a", "button secondary small share-sign-in", "Sign in to comment");
    signIn.setAttribute("href", context.signInUrl);
    signIn.dataset.testid = "share-sign-in";
    flags.append(signIn);
  }
  if (editor) comments.attach({ kind: "text", editor, connection: providerStatus(provider) });
  else flags.querySelector<HTMLElement>(".comment-add")?.setAttribute("hidden", ""); // a guest board has no selection
  return comments;
}

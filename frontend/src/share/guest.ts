// The page a share link opens (/s/<secret>): the live document for whoever holds the link,
// without an account. The socket authenticates with the link (`?link=`), not a session; the
// editor is read-only unless the link edits; a whiteboard is shown, live, not drawn on. When the link is revoked or expires the server
// closes the socket (4401): the page stops, says so and keeps what it showed. A comment or
// edit link also gets the comments panel (./comments.ts).

import { Editor } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import * as authProtocol from "y-protocols/auth";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { caret, contentExtensions } from "../editor/editor";
import { shouldReconnect } from "../sync/too-large";
import { allShapes, shapesOf } from "../whiteboard/model";
import { boardSvg } from "../whiteboard/render";
import { mountShareComments } from "./comments";
import type { ShareContext } from "./share-rules";

export type { ShareContext } from "./share-rules";

// Why the server closed a link's socket (docs/architecture.md, "Close codes").
export const CLOSED_MESSAGES: Record<number, string> = {
  4401: "This link was revoked or has expired: the document is no longer shared with you.",
  4403: "This link no longer gives access to the document.",
  4404: "This document no longer exists.",
};

export function closedMessage(code: number): string | null {
  if (code >= 4400 && code < 4500) return CLOSED_MESSAGES[code] ?? "The server closed this connection.";
  return null;
}

export function mountGuest(article: HTMLElement, context: ShareContext): { provider: WebsocketProvider; editor: Editor | null } {
  const status = article.querySelector<HTMLElement>("[data-testid=sync-status]")!;
  const closed = article.querySelector<HTMLElement>("[data-testid=share-closed]")!;
  const body = article.querySelector<HTMLElement>(".doc-body")!;
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(context.docsSocket, context.document.id, doc, {
    params: { link: context.link },
    maxBackoffTime: 5000,
    shouldReconnect,
  });
  provider.awareness.setLocalStateField("user", context.user);
  provider.messageHandlers[2] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, () => undefined); // a refused write: nothing stored
  };
  let editor: Editor | null = null;
  if (context.document.kind === "text") {
    const surface = document.createElement("div");
    surface.className = "editor-surface";
    body.append(surface);
    editor = new Editor({
      element: surface,
      injectCSS: false, // prosemirror.css: the page's CSP refuses an injected <style>
      editable: context.canWrite,
      extensions: [
        ...contentExtensions(() => Promise.resolve([])),
        Collaboration.configure({ document: doc, field: "default" }),
        CollaborationCaret.configure({ provider, user: context.user, render: caret }),
      ],
      editorProps: {
        attributes: { class: "prose", "aria-label": `${context.document.title}, document text`, role: "textbox" },
      },
    });
    if (!context.canWrite) editor.view.dom.setAttribute("aria-readonly", "true");
  } else {
    // A guest sees the board, redrawn as it changes, but does not draw on it.
    const shapes = shapesOf(doc);
    const redraw = () => {
      const picture = boardSvg(allShapes(doc));
      picture.setAttribute("aria-label", `${context.document.title}, whiteboard`);
      picture.setAttribute("role", "img");
      picture.classList.add("share-board");
      body.replaceChildren(picture);
    };
    shapes.observeDeep(redraw);
    redraw();
  }
  provider.on("status", ({ status: state }: { status: string }) => {
    if (!closed.hidden) return;
    status.textContent = state === "connected" ? "Live" : state === "connecting" ? "Connecting…" : "Offline";
    status.dataset.status = state;
  });
  provider.on("connection-close", (event: CloseEvent | null) => {
    const message = event ? closedMessage(event.code) : null;
    if (message === null) return;
    provider.disconnect();
    closed.textContent = message;
    closed.hidden = false;
    status.textContent = "Closed";
    status.dataset.status = "closed";
    editor?.setEditable(false);
  });
  mountShareComments(article, context, provider, editor);
  return { provider, editor };
}

// The rich-text editor: Tiptap bound to the Y.Doc's XmlFragment "default", with the carets
// of everyone else in the document, per-user undo, and a read-only mode.

import { Editor, Extension } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { Link } from "@tiptap/extension-link";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { Placeholder } from "@tiptap/extensions";
import StarterKit from "@tiptap/starter-kit";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import type { UndoManager } from "yjs";
import type { OpenDocument, Person, RoomContext } from "../context";
import { DocumentConnection } from "../sync/connection";
import { bindStatus } from "../sync/status";
import { membersFrom } from "../chat/mentions";
import { CodeBlock } from "./code";
import { imageSupport } from "./images";
import { openLinkDialog } from "./link-dialog";
import { mentionExtension } from "./mentions/extension";
import { createTableMenu, insertTable, tableExtensions } from "./tables";
import { createToolbar } from "./toolbar";
import "./prosemirror.css";
import "./editor.css";

const LinkShortcut = Extension.create({
  name: "linkShortcut",
  addKeyboardShortcuts() {
    return {
      "Mod-k": () => {
        if (this.editor.isEditable) openLinkDialog(this.editor);
        return true;
      },
    };
  },
});

// Typing at a link's end writes plain text, as in Google Docs: Tiptap makes the mark inclusive
// whenever autolink is on. Autolink still links a typed address (it skips text already linked).
const BoundedLink = Link.extend({ inclusive: () => false });

function caret(user: { name?: string; color?: string }): HTMLElement {
  const color = user.color ?? "#868e96";
  const caretElement = document.createElement("span");
  caretElement.className = "collaboration-carets__caret";
  caretElement.style.borderColor = color;
  const label = document.createElement("span");
  label.className = "collaboration-carets__label";
  label.style.backgroundColor = color;
  label.textContent = user.name ?? "Someone";
  caretElement.append(label);
  return caretElement;
}

export interface MountedEditor {
  editor: Editor;
  connection: DocumentConnection;
  destroy(options?: { forgetLocalCopy?: boolean }): Promise<void>;
}

/** Mounts the editor in the page's article. ``notice``, if given, is shown above the text
 * instead of the usual read-only explanation (used when access changed while it was open). */
export function mountEditor(
  article: HTMLElement,
  context: RoomContext,
  document_: OpenDocument,
  notice?: string,
): MountedEditor {
  const user: Person = context.user;
  const connection = new DocumentConnection({
    socketUrl: context.urls.docsSocket,
    documentId: document_.id,
    userId: user.id,
    user: { name: user.name, color: user.color },
    canWrite: document_.canWrite,
  });
  const body = article.querySelector<HTMLElement>(".doc-body")!;
  const statusElement = article.querySelector<HTMLElement>("[data-testid=sync-status]")!;
  const banner = document.createElement("p");
  banner.className = "doc-banner";
  banner.setAttribute("role", "note");
  banner.hidden = true;
  const surface = document.createElement("div");
  surface.className = "editor-surface";
  const images = imageSupport({ documentId: document_.id, csrfToken: context.csrfToken, maxBytes: context.limits.imageMaxBytes });

  const editor = new Editor({
    element: surface,
    injectCSS: false, // prosemirror.css instead: the page's CSP refuses an injected <style>
    editable: document_.canWrite,
    extensions: [
      StarterKit.configure({ undoRedo: false, link: false, codeBlock: false }),
      CodeBlock,
      ...tableExtensions(),
      mentionExtension(membersFrom(context.urls.members)),
      BoundedLink.configure({ openOnClick: false, autolink: true, defaultProtocol: "https" }),
      TaskList,
      TaskItem.configure({ nested: true }),
      Placeholder.configure({ placeholder: "Start writing…" }),
      Collaboration.configure({ document: connection.doc, field: "default" }),
      CollaborationCaret.configure({ provider: connection.provider, user: { name: user.name, color: user.color }, render: caret }),
      LinkShortcut,
      ...images.extensions,
    ],
    editorProps: {
      attributes: {
        class: "prose",
        "aria-label": `${document_.title}, document text`,
        "aria-multiline": "true",
        role: "textbox",
        spellcheck: "true",
      },
    },
  });

  // Undo is how a person takes back a change the server refused as too large.
  const undoManager = (yUndoPluginKey.getState(editor.state) as { undoManager?: UndoManager } | undefined)?.undoManager;
  if (undoManager) connection.trackUndo(undoManager);

  const toolbar = document_.canWrite ? createToolbar(editor, [[insertTable]]) : null;
  const tableMenu = document_.canWrite ? createTableMenu(editor) : null;
  const showReadOnly = (message: string) => {
    banner.textContent = message;
    banner.hidden = false;
    editor.setEditable(false);
    if (toolbar) toolbar.hidden = true;
    if (tableMenu) tableMenu.hidden = true;
    editor.view.dom.setAttribute("aria-readonly", "true");
  };
  if (notice) {
    banner.textContent = notice;
    banner.hidden = false;
  }
  if (!document_.canWrite) {
    showReadOnly(
      notice ??
        (document_.isLocked && user.role !== "viewer" && user.role !== "commenter"
          ? "This document is locked. Only the room's owners can change it."
          : context.room.isArchived
            ? "This room is archived: its documents are read-only."
            : "You can read this document; only editors can change it."),
    );
  }
  connection.onDenied(() => showReadOnly("This document became read-only for you: your latest change was not saved."));
  // 4401, 4403, 4404: the server will not take this person's edits any more (and the client
  // does not reconnect), so say why rather than let them type into a dead document.
  const stopClosed = connection.onStatus((status) => {
    if (status === "closed") showReadOnly(connection.closedReason);
  });

  body.replaceChildren(...[banner, toolbar, tableMenu, images.notice, surface].filter((node): node is HTMLElement => node !== null));

  const stopStatus = bindStatus(connection, statusElement);

  return {
    editor,
    connection,
    destroy(options) {
      stopStatus();
      stopClosed();
      editor.destroy();
      return connection.destroy(options);
    },
  };
}

// The room page's entry: enhances the server-rendered shell (sidebar drawer on narrow screens,
// creating documents), opens the room socket for the chat panel and the presence bar, mounts
// the open document's editor or whiteboard with its version history, follows changes to what
// the person may do with it, keeps the page for offline use, and wires room search to the
// editor (a document result selects its match) and the chat (a message result shows it).

import { apiPost, ApiError } from "./api";
import type { BoardComments, CommentsController } from "./comments/comments";
import { mountChat, type ChatPanel } from "./chat/chat";
import { followNotifications } from "./notifications/bell";
import { revealLinkedMessage } from "./notifications/reveal";
import { readContext, type DocumentSummary, type OpenDocument, type RoomContext } from "./context";
import type { HistoryPanel, HistoryPermissions } from "./history/history";
import { mountLiveSidebar } from "./live/sidebar";
import { keepForOffline } from "./offline";
import { mountPresence } from "./presence/presence";
import type { DocumentPayload } from "./room-socket/events";
import { RoomSocket } from "./room-socket/socket";
import { mountExportMenu } from "./transfer/menu";
import { mountImportButton } from "./transfer/import-button";
import { mountSearch } from "./search/search";
import { mountShareLinks } from "./share/links-panel";
import { accessNotice, watchAccess, type DocumentAccess } from "./sync/access";
import type { DocumentConnection } from "./sync/connection";

function setUpSidebarToggle(): void {
  const toggle = document.querySelector<HTMLButtonElement>(".sidebar-toggle");
  const sidebar = document.getElementById("room-sidebar");
  if (!toggle || !sidebar) return;
  toggle.hidden = false;
  document.documentElement.classList.add("has-app");
  const setOpen = (open: boolean) => {
    toggle.setAttribute("aria-expanded", String(open));
    sidebar.classList.toggle("open", open);
  };
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  sidebar.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && sidebar.classList.contains("open")) {
      setOpen(false);
      toggle.focus();
    }
  });
}

function documentPage(context: RoomContext, id: string): string {
  return context.urls.documentPage.replace(/0{8}-0{4}-0{4}-0{4}-0{12}/, id);
}

function setUpNewDocumentForm(context: RoomContext): void {
  const form = document.querySelector<HTMLFormElement>("#new-document");
  if (!form) return;
  mountImportButton(form, {
    importUrl: `${context.urls.documents}/import`,
    csrfToken: context.csrfToken,
    open: (id) => window.location.assign(documentPage(context, id)),
  });
  const error = form.querySelector<HTMLElement>(".form-error")!;
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const title = String(data.get("title") ?? "").trim();
    if (!title) return;
    submit.disabled = true;
    error.hidden = true;
    try {
      const created = await apiPost<DocumentSummary>(
        context.urls.documents,
        { title, kind: data.get("kind") },
        context.csrfToken,
      );
      window.location.assign(documentPage(context, created.id));
    } catch (reason) {
      error.textContent = reason instanceof ApiError ? reason.message : "Could not create it. Try again.";
      error.hidden = false;
      submit.disabled = false;
    }
  });
}

interface Mounted {
  connection: DocumentConnection;
  editor?: import("@tiptap/core").Editor;
  comments?: BoardComments;
  destroy(options?: { forgetLocalCopy?: boolean }): Promise<void>;
}

async function mountDocument(article: HTMLElement, context: RoomContext, current: OpenDocument, notice?: string): Promise<Mounted> {
  if (current.kind === "text") {
    const { mountEditor } = await import("./editor/editor");
    const mounted = mountEditor(article, context, current, notice);
    // For the end-to-end tests and for debugging from the console.
    Object.assign(window, { collab: { editor: mounted.editor, connection: mounted.connection } });
    return mounted;
  }
  const { mountWhiteboard } = await import("./whiteboard/board");
  const mounted = mountWhiteboard(article, context, current);
  if (notice) {
    const banner = document.createElement("p");
    banner.className = "doc-banner";
    banner.setAttribute("role", "note");
    banner.textContent = notice;
    article.querySelector(".doc-body")?.prepend(banner);
  }
  Object.assign(window, { collab: { connection: mounted.connection } });
  return mounted;
}

function historyPermissions(access: DocumentAccess): HistoryPermissions {
  const editorOrOwner = access.role === "editor" || access.role === "owner";
  return { restore: access.canWrite, keep: editorOrOwner && !access.isArchived };
}

function showFlags(article: HTMLElement, access: DocumentAccess): void {
  const locked = article.querySelector<HTMLElement>("[data-flag=locked]");
  const readOnly = article.querySelector<HTMLElement>("[data-testid=read-only]");
  if (locked) locked.hidden = !access.isLocked;
  if (readOnly) readOnly.hidden = access.canWrite;
}

/** Ties the comments panel to the document just mounted (again after each remount). */
function attachComments(comments: CommentsController | null, mounted: Mounted): void {
  if (mounted.editor) comments?.attach({ kind: "text", editor: mounted.editor, connection: mounted.connection });
  else if (mounted.comments) comments?.attach({ kind: "whiteboard", board: mounted.comments, connection: mounted.connection });
}

async function mountWorkspace(context: RoomContext): Promise<void> {
  const article = document.querySelector<HTMLElement>("article.doc");
  let current = context.current;
  if (!current || !article) return;
  let mounted = await mountDocument(article, context, current);
  const flags = article.querySelector<HTMLElement>(".doc-flags");
  if (flags) mountExportMenu(flags, current);
  const { mountComments } = await import("./comments/comments");
  const comments = mountComments(context, roomSocket);
  attachComments(comments, mounted);
  let access: DocumentAccess = {
    canWrite: current.canWrite,
    role: context.user.role,
    isLocked: current.isLocked,
    isArchived: context.room.isArchived,
  };

  let history: HistoryPanel | null = null;
  const toggle = document.querySelector<HTMLButtonElement>(".history-toggle");
  const host = document.querySelector<HTMLElement>(".room-main");
  if (toggle && host && context.urls.versions) {
    const { createHistoryPanel } = await import("./history/history");
    history = createHistoryPanel({
      host,
      toggle,
      versionsUrl: context.urls.versions,
      documentId: current.id,
      kind: current.kind,
      csrfToken: context.csrfToken,
      permissions: historyPermissions(access),
      editor: () => mounted.editor,
    });
  }

  if (!context.urls.access) return;
  let changing = Promise.resolve();
  const watcher = watchAccess(context.urls.access, access, (next, previous) => {
    access = next;
    changing = changing.then(async () => {
      context.user.role = next.role;
      context.room.isArchived = next.isArchived;
      showFlags(article, next);
      history?.setPermissions(historyPermissions(next));
      if (!current || (next.canWrite === previous.canWrite && next.canWrite === current.canWrite)) return;
      // Edits the server refused (typed before the page knew) must not linger on this device.
      await mounted.destroy({ forgetLocalCopy: previous.canWrite && !next.canWrite });
      current = { ...current, canWrite: next.canWrite, isLocked: next.isLocked };
      context.current = current;
      mounted = await mountDocument(article, context, current, accessNotice(next, previous));
      attachComments(comments, mounted);
      history?.editorChanged();
      mounted.connection.onDenied(() => watcher.check());
    });
  });
  mounted.connection.onDenied(() => watcher.check());
}

/** The open document was renamed (its new title shows) or deleted (a banner says so). */
function showCurrentChanged(context: RoomContext, changed: DocumentPayload | null): void {
  const article = document.querySelector<HTMLElement>("article.doc");
  if (!article || !context.current) return;
  if (changed) {
    context.current.title = changed.title;
    const heading = article.querySelector(".doc-title");
    if (heading) heading.textContent = changed.title;
    document.title = `${changed.title} · ${context.room.name}`;
    return;
  }
  if (article.querySelector("[data-deleted-notice]")) return;
  const banner = document.createElement("p");
  banner.className = "doc-banner";
  banner.setAttribute("role", "alert");
  banner.dataset.deletedNotice = "";
  banner.textContent = "This document was deleted. Nothing typed here now is kept.";
  article.querySelector(".doc-body")?.prepend(banner);
}

// The room socket, once open: comments follow their live events on it too.
let roomSocket: RoomSocket | null = null;

function mountRoomSocket(context: RoomContext): ChatPanel | null {
  const chat = document.querySelector<HTMLElement>('[data-region="chat"]');
  const presence = document.querySelector<HTMLElement>('[data-region="presence"]');
  if (!chat && !presence) return null;
  // Handlers first: the socket's first events (snapshot, history) may arrive at once.
  const socket = new RoomSocket(context.urls.roomSocket);
  roomSocket = socket;
  if (presence) mountPresence(presence, context, socket);
  followNotifications(socket);
  mountLiveSidebar(context, socket).onCurrentChanged((changed) => showCurrentChanged(context, changed));
  return chat ? mountChat(chat, context, socket) : null;
}

const FIND_PARAMETER = "find";
const FIND_WITHIN_MS = 10_000;

/** Selects ``match`` in the open text document once its content has arrived. */
async function revealWhenLoaded(match: string): Promise<boolean> {
  const { revealInEditor } = await import("./search/reveal");
  const started = Date.now();
  while (Date.now() - started < FIND_WITHIN_MS) {
    const editor = (window as { collab?: { editor?: Parameters<typeof revealInEditor>[0] } }).collab?.editor;
    if (editor && revealInEditor(editor, match)) return true;
    await new Promise((resolve) => window.setTimeout(resolve, 150));
  }
  return false;
}

function setUpSearch(context: RoomContext, chat: ChatPanel | null): void {
  const form = document.querySelector<HTMLFormElement>('form[data-region="search"]');
  if (form) {
    mountSearch(form, context, {
      openDocument(hit) {
        if (context.current?.id === hit.id) {
          if (hit.match) void revealWhenLoaded(hit.match);
          return;
        }
        const url = context.urls.documentPage.replace(/0{8}-0{4}-0{4}-0{4}-0{12}/, hit.id);
        window.location.assign(hit.match ? `${url}#${FIND_PARAMETER}=${encodeURIComponent(hit.match)}` : url);
      },
      openMessage(message) {
        void chat?.reveal(message);
      },
    });
  }
  // Arrived from a search result on another document: find its match here.
  const wanted = new URLSearchParams(window.location.hash.slice(1)).get(FIND_PARAMETER);
  if (wanted && context.current?.kind === "text") {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    void revealWhenLoaded(wanted);
  }
}

function setUpShareLinks(context: RoomContext): void {
  const panel = document.querySelector<HTMLElement>("[data-mount=share-links]");
  if (panel?.dataset.url) mountShareLinks(panel, panel.dataset.url, context.csrfToken);
}

const context = readContext();
setUpSidebarToggle();
setUpNewDocumentForm(context);
setUpShareLinks(context);
const chatPanel = mountRoomSocket(context);
setUpSearch(context, chatPanel);
void revealLinkedMessage(context, chatPanel);
void mountWorkspace(context).finally(() => keepForOffline(context.urls.serviceWorker, context.urls.appManifest));

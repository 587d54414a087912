// Comments on the open document: loads its threads, keeps them current from the room
// socket's comment events, and ties the panel to the editor's highlights or the board's
// marks. "Comment" (the header's button, or Ctrl+Alt+M) opens a thread on the selected text
// or shape; a thread's quote, or its highlight, scrolls to and selects its anchor; a link
// with ?thread=<id> opens the panel at that thread. ``mountComments`` is the room page's;
// ``mountCommentsOn`` takes what any page gives (the share page: share/comments.ts).

import type { Editor } from "@tiptap/core";
import { apiGetAll, apiRequest, errorMessage } from "../api";
import { membersFrom } from "../chat/mentions";
import type { RoomContext } from "../context";
import type { UserSummary } from "../room-socket/events";
import type { RoomSocket } from "../room-socket/socket";
import type { SyncStatus } from "../sync/connection";
import { confirmAction } from "../ui/confirm";
import { element } from "../ui/dom";
import { anchorOf, type Range } from "./anchors";
import { bindingOf, mountHighlights, type Highlights } from "./highlight";
import { createPanel, type Panel, type ThreadView } from "./panel";
import { canResolve, ThreadStore } from "./store";
import type { CommentThread, ThreadAnchor, ThreadChange } from "./types";

/** What comments need of the whiteboard (frontend/src/whiteboard/board.ts). */
export interface BoardComments {
  selectedShape(): string | null;
  hasShape(id: string): boolean;
  /** Marks each commented shape (shape id to its first open thread). */
  setCommented(threads: Map<string, number>): void;
  reveal(shapeId: string): void;
  /** Calls ``listener`` when shapes or the selection change; returns a function to stop. */
  onChange(listener: () => void): () => void;
  onMarkClick(listener: (threadId: number) => void): void;
}

/** What comments need of the document's connection (``DocumentConnection`` is one). */
export interface ConnectionStatus {
  readonly status: SyncStatus;
  onStatus(listener: (status: SyncStatus) => void): () => void;
}

export type CommentTarget =
  | { kind: "text"; editor: Editor; connection: ConnectionStatus }
  | { kind: "whiteboard"; board: BoardComments; connection: ConnectionStatus };

/** The live comment events of one document: the room socket's, or a share page's socket. */
export interface CommentEvents {
  /** Whether the source is connected now ("open") or not yet, or away. */
  readonly state: string;
  onChange(handler: (thread: CommentThread, documentId: string) => void): void;
  onDeleted(handler: (threadId: number, documentId: string) => void): void;
  /** Called with "open" each time the source (re)connects. */
  onState(listener: (state: string) => void): void;
}

/** What a page gives comments: who is looking, what they may do, and where to draw. */
export interface CommentsSetup {
  documentId: string;
  user: { id: number | null; role: string | null };
  csrfToken: string;
  canComment: boolean;
  isOwner: boolean;
  members: () => Promise<UserSummary[]>;
  flags: HTMLElement;
  host: HTMLElement;
  events: CommentEvents | null;
}

const THREAD_CHANGES = [
  "comment_thread.created",
  "comment_thread.resolved",
  "comment_thread.reopened",
  "comment.created",
  "comment.edited",
  "comment.deleted",
  "comment.reactions",
] as const;
const QUOTE_MAX = 1000;
const COMMIT_WAIT_MS = 10_000;
const THREAD_PARAMETER = "thread";

/** Resolves once everything typed here is committed (so an anchor on it is in the stored
 * document), or after ``COMMIT_WAIT_MS`` whatever happens. */
function committed(connection: ConnectionStatus): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    let stop: (() => void) | null = null;
    const finish = () => {
      if (done) return;
      done = true;
      stop?.();
      resolve();
    };
    stop = connection.onStatus((status) => {
      if (status === "saved" || status === "live") finish();
    });
    if (done) stop();
    window.setTimeout(finish, COMMIT_WAIT_MS);
  });
}

export interface CommentsController {
  /** Ties comments to a newly mounted editor or board (again after each remount). */
  attach(target: CommentTarget): void;
}

/** The room socket's comment events, as ``CommentEvents``. */
function roomEvents(socket: RoomSocket): CommentEvents {
  return {
    get state() {
      return socket.state;
    },
    onChange(handler) {
      for (const type of THREAD_CHANGES) socket.on(type, (event: ThreadChange) => handler(event.thread, event.document));
    },
    onDeleted(handler) {
      socket.on("comment_thread.deleted", (event) => handler(event.thread_id, event.document));
    },
    onState(listener) {
      socket.onState((state) => listener(state));
    },
  };
}

export function mountComments(context: RoomContext, socket: RoomSocket | null): CommentsController | null {
  const current = context.current;
  const flags = document.querySelector<HTMLElement>("article.doc .doc-flags");
  const host = document.querySelector<HTMLElement>(".room-main");
  if (!current || !flags || !host) return null;
  return mountCommentsOn({
    documentId: current.id,
    user: { id: context.user.id, role: context.user.role },
    csrfToken: context.csrfToken,
    canComment: context.permissions.postMessages,
    isOwner: context.user.role === "owner",
    members: membersFrom(context.urls.members),
    flags,
    host,
    events: socket ? roomEvents(socket) : null,
  });
}

export function mountCommentsOn(setup: CommentsSetup): CommentsController {
  const { documentId, flags, host, canComment } = setup;
  const url = `/api/v1/documents/${documentId}/comments`;
  const store = new ThreadStore();
  let target: CommentTarget | null = null;
  let highlights: Highlights | null = null;
  let stopBoard: (() => void) | null = null;
  let stopStatus: (() => void) | null = null;
  let ranges = new Map<number, Range | null>();
  let active: number | null = null;
  let pendingFocus: number | null = null;
  let draftAnchor: ThreadAnchor | null = null;

  const toggle = element("button", "secondary small comment-toggle", "Comments");
  toggle.type = "button";
  toggle.setAttribute("aria-controls", "comments-panel");
  toggle.setAttribute("aria-expanded", "false");
  const add = element("button", "small comment-add", "Comment");
  add.type = "button";
  add.title = "Comment on the selection (Ctrl+Alt+M)";
  add.setAttribute("aria-keyshortcuts", "Control+Alt+M");
  add.hidden = !canComment;
  flags.append(add, toggle);

  const call = async <T>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T | null> => {
    try {
      const answer = await apiRequest<T>(method, path, setup.csrfToken, body);
      panel.setError(null);
      return answer;
    } catch (reason) {
      panel.setError(errorMessage(reason, "That did not work. Try again."));
      return null;
    }
  };
  const threadUrl = (thread: CommentThread) => `${url}/${thread.id}`;
  const took = (thread: CommentThread | null) => {
    if (thread && store.apply(thread)) refresh();
    return thread !== null;
  };

  const permissions = { canComment, isOwner: setup.isOwner };
  const panel: Panel = createPanel(host, { id: setup.user.id }, permissions, setup.members, {
    async create(body) {
      if (!draftAnchor || !target) return false;
      await committed(target.connection);
      const thread = await call<CommentThread>("POST", url, { anchor: draftAnchor, body });
      if (!thread) return false;
      draftAnchor = null;
      panel.element.querySelector(".comment-draft")?.replaceChildren();
      panel.filter = "open";
      active = thread.id;
      took(thread);
      panel.showThread(thread.id);
      return true;
    },
    cancelDraft() {
      draftAnchor = null;
    },
    async reply(thread, body) {
      return took(await call<CommentThread>("POST", `${threadUrl(thread)}/replies`, { body }));
    },
    async edit(thread, comment, body) {
      return took(await call<CommentThread>("PATCH", `${threadUrl(thread)}/comments/${comment.id}`, { body }));
    },
    async remove(thread, comment, first) {
      const sure = await confirmAction(
        first
          ? { title: "Delete this thread?", body: "Its comment and every reply go for everyone.", confirm: "Delete thread", danger: true }
          : { title: "Delete this comment?", body: "It goes for everyone.", confirm: "Delete", danger: true },
      );
      if (!sure) return;
      const done = await call("DELETE", `${threadUrl(thread)}/comments/${comment.id}`);
      if (done !== null && first && store.remove(thread.id)) refresh();
    },
    react(thread, comment, emoji, on) {
      const reactions = `${threadUrl(thread)}/comments/${comment.id}/reactions`;
      if (on) void call<CommentThread>("POST", reactions, { emoji }).then(took);
      else void call("DELETE", `${reactions}/${encodeURIComponent(emoji)}`);
    },
    setResolved(thread, resolved) {
      void call<CommentThread>("POST", `${threadUrl(thread)}/${resolved ? "resolve" : "reopen"}`).then(took);
    },
    focus(thread) {
      focusThread(thread.id);
    },
    filterChanged() {
      renderPanel();
    },
  });

  const setPanelOpen = (open: boolean) => {
    if (open) panel.open();
    else panel.close();
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => setPanelOpen(!panel.isOpen));
  new MutationObserver(() => toggle.setAttribute("aria-expanded", String(panel.isOpen))).observe(panel.element, { attributes: true, attributeFilter: ["hidden"] });

  function order(thread: CommentThread): number | null {
    if (thread.anchor.kind === "text") return ranges.get(thread.id)?.from ?? null;
    return target?.kind === "whiteboard" && target.board.hasShape(thread.anchor.shape_id) ? thread.id : null;
  }
  function detached(thread: CommentThread): boolean {
    if (thread.anchor.kind === "text") return ranges.has(thread.id) && ranges.get(thread.id) === null;
    return target?.kind === "whiteboard" && !target.board.hasShape(thread.anchor.shape_id);
  }

  function renderPanel(): void {
    const views: ThreadView[] = store.list(panel.filter, order).map((thread) => ({
      thread,
      detached: detached(thread),
      canResolve: canResolve(thread, setup.user.id, setup.user.role),
    }));
    panel.render(views, { open: store.count("open"), resolved: store.count("resolved") });
    if (active !== null) panel.showThread(active);
    const open = store.count("open");
    toggle.textContent = open ? `Comments (${open})` : "Comments";
  }

  function refresh(): void {
    const threads = store.all();
    highlights?.refresh(threads, active);
    if (target?.kind === "whiteboard") {
      const commented = new Map<string, number>();
      for (const thread of threads) {
        if (thread.anchor.kind === "shape" && !thread.resolved && !commented.has(thread.anchor.shape_id)) commented.set(thread.anchor.shape_id, thread.id);
      }
      target.board.setCommented(commented);
      tryPendingFocus();
    }
    renderPanel();
  }

  function focusThread(id: number): void {
    const thread = store.get(id);
    if (!thread) return;
    active = id;
    setPanelOpen(true);
    if (panel.filter !== (thread.resolved ? "resolved" : "open")) panel.filter = thread.resolved ? "resolved" : "open";
    refresh();
    if (target?.kind === "text") {
      const range = ranges.get(id);
      if (range) target.editor.chain().setTextSelection(range).scrollIntoView().run();
    } else if (target?.kind === "whiteboard" && thread.anchor.kind === "shape") {
      target.board.reveal(thread.anchor.shape_id);
    }
    panel.showThread(id);
  }

  function tryPendingFocus(): void {
    if (pendingFocus === null) return;
    const thread = store.get(pendingFocus);
    if (!thread) return;
    const placed = thread.anchor.kind === "text" ? Boolean(ranges.get(thread.id)) : target?.kind === "whiteboard" && target.board.hasShape(thread.anchor.shape_id);
    // A detached thread is shown too, once the document has arrived (before, nothing resolves).
    const synced = target !== null && (target.connection.status === "saved" || target.connection.status === "live");
    if (!placed && !(synced && (thread.anchor.kind === "shape" || ranges.has(thread.id)))) return;
    const id = pendingFocus;
    pendingFocus = null;
    focusThread(id);
  }

  function startDraft(): void {
    if (!canComment || !target) return;
    setPanelOpen(true);
    if (target.kind === "text") {
      const { state } = target.editor;
      const { from, to } = state.selection;
      const binding = bindingOf(state);
      if (from === to || !binding) {
        panel.setError("Select some text first, then press Comment.");
        return;
      }
      const quote = state.doc.textBetween(from, to, " ").slice(0, QUOTE_MAX);
      draftAnchor = { kind: "text", ...anchorOf(binding, { from, to }), quote };
      panel.setError(null);
      panel.draft(quote);
    } else {
      const shape = target.board.selectedShape();
      if (!shape) {
        panel.setError("Select a shape first, then press Comment.");
        return;
      }
      draftAnchor = { kind: "shape", shape_id: shape };
      panel.setError(null);
      panel.draft("The selected shape");
    }
  }
  add.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  add.addEventListener("click", startDraft);
  document.addEventListener("keydown", (event) => {
    if (event.code === "KeyM" && event.altKey && (event.ctrlKey || event.metaKey) && !event.shiftKey) {
      event.preventDefault();
      startDraft();
    }
  });

  const load = async () => {
    try {
      store.reset(await apiGetAll<CommentThread>(url));
      refresh();
      tryPendingFocus();
    } catch (reason) {
      panel.setError(errorMessage(reason, "Could not load the comments."));
    }
  };
  const events = setup.events;
  if (events) {
    events.onChange((thread, document) => {
      if (document === documentId && store.apply(thread)) refresh();
    });
    events.onDeleted((threadId, document) => {
      if (document === documentId && store.remove(threadId)) refresh();
    });
    let opened = events.state !== "connecting";
    // Events missed while the socket was away are read again with the list.
    events.onState((state) => {
      if (state !== "open") return;
      if (opened) void load();
      opened = true;
    });
  }

  const wanted = Number(new URLSearchParams(window.location.search).get(THREAD_PARAMETER));
  if (Number.isInteger(wanted) && wanted > 0) {
    pendingFocus = wanted;
    setPanelOpen(true);
  }
  void load();

  return {
    attach(next) {
      highlights?.destroy();
      stopBoard?.();
      stopStatus?.();
      highlights = null;
      stopBoard = null;
      target = next;
      ranges = new Map();
      // A linked thread that is detached is shown once the document has arrived.
      stopStatus = next.connection.onStatus(() => tryPendingFocus());
      if (next.kind === "text") {
        highlights = mountHighlights(
          next.editor,
          (resolved) => {
            ranges = resolved;
            renderPanel();
            tryPendingFocus();
          },
          (id) => focusThread(id),
        );
      } else {
        stopBoard = next.board.onChange(() => refresh());
        next.board.onMarkClick((id) => focusThread(id));
      }
      refresh();
    },
  };
}

// The comments panel: a drawer over the right of the workspace listing the document's open
// or resolved threads, each with its quote (or shape), its comments, reactions, a reply box
// and the actions the person may take; a composer for a new thread. It renders what
// comments.ts gives it and reports what the person does; it makes no requests itself.

import "./comments.css";
import { attachMentions } from "../chat/mentions";
import { displayName, type UserSummary } from "../room-socket/events";
import { element } from "../ui/dom";
import { timeElement } from "../ui/time";
import type { ThreadFilter } from "./store";
import type { CommentThread, ThreadComment } from "./types";

const QUICK_EMOJI = ["👍", "🎉", "❤️", "👀"];

export interface PanelActions {
  create(body: string): Promise<boolean>;
  cancelDraft(): void;
  reply(thread: CommentThread, body: string): Promise<boolean>;
  edit(thread: CommentThread, comment: ThreadComment, body: string): Promise<boolean>;
  remove(thread: CommentThread, comment: ThreadComment, first: boolean): void;
  react(thread: CommentThread, comment: ThreadComment, emoji: string, on: boolean): void;
  setResolved(thread: CommentThread, resolved: boolean): void;
  focus(thread: CommentThread): void;
  /** The person chose to see open or resolved threads: render them (``render``). */
  filterChanged(): void;
}

export interface ThreadView {
  thread: CommentThread;
  detached: boolean;
  canResolve: boolean;
}

export interface Panel {
  element: HTMLElement;
  open(): void;
  close(): void;
  readonly isOpen: boolean;
  render(views: ThreadView[], counts: Record<ThreadFilter, number>): void;
  /** Shows the composer for a new thread on ``quote``. */
  draft(quote: string): void;
  showThread(id: number): void;
  setError(message: string | null): void;
  filter: ThreadFilter;
}

function autoGrow(box: HTMLTextAreaElement): void {
  box.rows = Math.min(8, Math.max(2, box.value.split("\n").length));
}

// The room's members for @mention autocomplete (chat's), set by ``createPanel``.
let mentionCandidates: (() => Promise<UserSummary[]>) | null = null;

/** A textarea with @mention autocomplete and a submit button; Ctrl/Cmd+Enter submits,
 * Escape cancels. */
function composer(
  label: string,
  submitLabel: string,
  onSubmit: (body: string) => Promise<boolean>,
  onCancel?: () => void,
  initial = "",
): HTMLFormElement {
  const form = element("form", "comment-composer");
  const box = element("textarea");
  box.value = initial;
  box.rows = 2;
  box.placeholder = "Comment, or @mention someone";
  box.setAttribute("aria-label", label);
  box.addEventListener("input", () => autoGrow(box));
  const send = element("button", "small", submitLabel);
  send.type = "submit";
  const row = element("div", "comment-composer-row");
  if (onCancel) {
    const cancel = element("button", "secondary small", "Cancel");
    cancel.type = "button";
    cancel.addEventListener("click", onCancel);
    row.append(cancel);
  }
  row.append(send);
  form.append(box);
  if (mentionCandidates) form.append(attachMentions(box, mentionCandidates));
  form.append(row);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = box.value.trim();
    if (!body) return;
    send.disabled = true;
    void onSubmit(body).then((done) => {
      send.disabled = false;
      if (done) box.value = "";
    });
  });
  box.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) return; // the mention list took the key
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape" && onCancel) {
      event.preventDefault();
      onCancel();
    }
  });
  return form;
}

export function createPanel(
  host: HTMLElement,
  me: { id: number | null },
  permissions: { canComment: boolean; isOwner: boolean },
  members: () => Promise<UserSummary[]>,
  actions: PanelActions,
): Panel {
  const { canComment, isOwner } = permissions;
  mentionCandidates = members;
  const panel = element("aside", "comments-panel");
  panel.id = "comments-panel";
  panel.setAttribute("aria-labelledby", "comments-heading");
  panel.hidden = true;
  const header = element("div", "panel-header");
  const heading = element("h2", "", "Comments");
  heading.id = "comments-heading";
  heading.tabIndex = -1;
  const closeButton = element("button", "icon-button", "×");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Close comments");
  header.append(heading, closeButton);

  const tabs = element("div", "comment-filters");
  tabs.setAttribute("role", "group");
  tabs.setAttribute("aria-label", "Show");
  const tab = (filter: ThreadFilter) => {
    const button = element("button", "secondary small");
    button.type = "button";
    button.dataset.filter = filter;
    button.addEventListener("click", () => {
      api.filter = filter;
      actions.filterChanged();
    });
    tabs.append(button);
    return button;
  };
  const openTab = tab("open");
  const resolvedTab = tab("resolved");
  const error = element("p", "panel-status comment-error");
  error.setAttribute("role", "alert");
  const draftSlot = element("div", "comment-draft");
  const list = element("ul", "comment-threads");
  list.setAttribute("aria-label", "Threads");
  const empty = element("p", "panel-status");
  panel.append(header, tabs, error, draftSlot, list, empty);
  host.append(panel);

  let last: { views: ThreadView[]; counts: Record<ThreadFilter, number> } = { views: [], counts: { open: 0, resolved: 0 } };
  const editing = new Set<number>();

  const commentItem = (view: ThreadView, comment: ThreadComment, first: boolean) => {
    const { thread } = view;
    const item = element("li", "comment");
    item.dataset.commentId = String(comment.id);
    const meta = element("div", "comment-meta");
    meta.append(element("strong", "comment-author", comment.author ? displayName(comment.author) : "Someone"), " ", timeElement(comment.created_at));
    if (comment.edited_at) meta.append(element("span", "comment-edited", " (edited)"));
    const body = element("div", "comment-body");
    body.innerHTML = comment.body_html; // rendered and sanitized by the server
    item.append(meta);
    const mine = comment.author?.id === me.id;
    if (editing.has(comment.id)) {
      item.append(
        composer("Edit comment", "Save", async (text) => {
          const done = await actions.edit(thread, comment, text);
          if (done) editing.delete(comment.id);
          return done;
        }, () => {
          editing.delete(comment.id);
          rerender();
        }, comment.body),
      );
      return item;
    }
    item.append(body);
    const bar = element("div", "comment-actions");
    for (const reaction of comment.reactions) {
      const on = me.id !== null && reaction.user_ids.includes(me.id);
      const chip = element("button", "reaction-chip", `${reaction.emoji} ${reaction.count}`);
      chip.type = "button";
      chip.setAttribute("aria-pressed", String(on));
      chip.setAttribute("aria-label", `${reaction.emoji}: ${reaction.count}${on ? ", including you" : ""}`);
      chip.disabled = !canComment;
      chip.addEventListener("click", () => actions.react(thread, comment, reaction.emoji, !on));
      bar.append(chip);
    }
    if (canComment) {
      for (const emoji of QUICK_EMOJI.filter((e) => !comment.reactions.some((r) => r.emoji === e)).slice(0, 2)) {
        const add = element("button", "link comment-react", emoji);
        add.type = "button";
        add.setAttribute("aria-label", `React with ${emoji}`);
        add.addEventListener("click", () => actions.react(thread, comment, emoji, true));
        bar.append(add);
      }
    }
    if (mine && canComment) {
      const edit = element("button", "link", "Edit");
      edit.type = "button";
      edit.addEventListener("click", () => {
        editing.add(comment.id);
        rerender();
      });
      bar.append(edit);
    }
    if ((mine || isOwner) && canComment) {
      const remove = element("button", "link", first ? "Delete thread" : "Delete");
      remove.type = "button";
      remove.addEventListener("click", () => actions.remove(thread, comment, first));
      bar.append(remove);
    }
    item.append(bar);
    return item;
  };

  const threadItem = (view: ThreadView) => {
    const { thread } = view;
    const item = element("li", "comment-thread");
    item.dataset.threadId = String(thread.id);
    item.dataset.testid = "comment-thread";
    if (view.detached) item.classList.add("detached");
    const anchor = element("button", "comment-anchor");
    anchor.type = "button";
    anchor.title = view.detached ? "Its text was deleted" : "Show it in the document";
    if (thread.anchor.kind === "text") anchor.append(element("q", "", thread.anchor.quote || "(text)"));
    else anchor.append(element("span", "", "A shape on the board"));
    if (view.detached) anchor.append(element("span", "pill comment-detached", "Detached"));
    anchor.addEventListener("click", () => actions.focus(thread));
    item.append(anchor);
    const comments = element("ol", "comments");
    thread.comments.forEach((comment, index) => comments.append(commentItem(view, comment, index === 0)));
    item.append(comments);
    const footer = element("div", "comment-thread-footer");
    if (thread.resolved && thread.resolved_by) footer.append(element("span", "comment-resolved-by", `Resolved by ${displayName(thread.resolved_by)}`));
    if (view.canResolve && canComment) {
      const resolve = element("button", "secondary small", thread.resolved ? "Reopen" : "Resolve");
      resolve.type = "button";
      resolve.addEventListener("click", () => actions.setResolved(thread, !thread.resolved));
      footer.append(resolve);
    }
    item.append(footer);
    if (canComment) item.append(composer("Reply", "Reply", (body) => actions.reply(thread, body)));
    return item;
  };

  function rerender(): void {
    const { views, counts } = last;
    openTab.textContent = `Open (${counts.open})`;
    resolvedTab.textContent = `Resolved (${counts.resolved})`;
    openTab.setAttribute("aria-pressed", String(api.filter === "open"));
    resolvedTab.setAttribute("aria-pressed", String(api.filter === "resolved"));
    // Keep what is being typed in a reply box through a re-render.
    const typed = new Map<string, string>();
    list.querySelectorAll<HTMLElement>("[data-thread-id]").forEach((node) => {
      const box = node.querySelector<HTMLTextAreaElement>(":scope > .comment-composer textarea");
      if (box?.value) typed.set(node.dataset.threadId!, box.value);
    });
    const focused = document.activeElement instanceof HTMLTextAreaElement && list.contains(document.activeElement) ? document.activeElement.closest<HTMLElement>("[data-thread-id]")?.dataset.threadId : undefined;
    list.replaceChildren(...views.map(threadItem));
    for (const [id, value] of typed) {
      const box = list.querySelector<HTMLTextAreaElement>(`[data-thread-id="${id}"] > .comment-composer textarea`);
      if (box) box.value = value;
    }
    if (focused) list.querySelector<HTMLTextAreaElement>(`[data-thread-id="${focused}"] > .comment-composer textarea`)?.focus();
    empty.textContent = views.length ? "" : api.filter === "open" ? "No open comments. Select text and press Comment (Ctrl+Alt+M) to start one." : "No resolved comments.";
  }

  const api: Panel = {
    element: panel,
    filter: "open",
    get isOpen() {
      return !panel.hidden;
    },
    open() {
      panel.hidden = false;
      document.documentElement.classList.add("comments-open");
    },
    close() {
      panel.hidden = true;
      document.documentElement.classList.remove("comments-open");
      draftSlot.replaceChildren();
    },
    render(views, counts) {
      last = { views, counts };
      rerender();
    },
    draft(quote) {
      api.open();
      const form = composer("New comment", "Comment", actions.create, () => {
        draftSlot.replaceChildren();
        actions.cancelDraft();
      });
      const box = element("div", "comment-thread comment-new");
      box.append(element("q", "comment-quote", quote), form);
      draftSlot.replaceChildren(box);
      form.querySelector("textarea")!.focus();
    },
    showThread(id) {
      const item = list.querySelector<HTMLElement>(`[data-thread-id="${id}"]`);
      list.querySelectorAll(".comment-thread.active").forEach((node) => node.classList.remove("active"));
      if (!item) return;
      item.classList.add("active");
      item.scrollIntoView({ block: "nearest" });
    },
    setError(message) {
      error.textContent = message ?? "";
    },
  };
  closeButton.addEventListener("click", () => api.close());
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !(event.target instanceof HTMLTextAreaElement)) api.close();
  });
  return api;
}

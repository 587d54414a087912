// Room search: the sidebar's search box (focused by "/" or Ctrl+K) asks the server for the
// room's documents, messages and comments that match, and lists them in groups. A document
// result opens the document (or stays on it) and selects the matched words in the editor; a
// message result opens the chat at that message, or at its thread; a comment result opens its
// document with the comments panel at its thread.

import "./search.css";
import { apiGet, errorMessage } from "../api";
import type { RoomContext } from "../context";
import type { Message } from "../room-socket/events";
import { element } from "../ui/dom";
import { messageTitle } from "./message-title";

interface DocumentHit {
  id: string;
  title: string;
  kind: "text" | "whiteboard";
  snippet: string;
  highlights: [number, number][];
  match: string;
}

interface CommentHit {
  id: number;
  thread: number;
  author: Message["author"];
  body: string;
  document: { id: string; title: string; kind: "text" | "whiteboard" };
  /** The document's page with ?thread=<id>. */
  url: string;
}

interface SearchResult {
  query: string;
  documents: DocumentHit[];
  messages: Message[];
  comments: CommentHit[];
}

/** What search needs of the page: to open a document at a match, and the chat at a message. */
export interface SearchTargets {
  openDocument(hit: { id: string; match: string }): void;
  openMessage(message: Message): void;
}

const DEBOUNCE_MS = 250;

/** The snippet as text with <mark> around the highlighted ranges (no markup parsed). */
function markedSnippet(text: string, highlights: [number, number][]): HTMLElement {
  const snippet = element("span", "search-snippet");
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at) continue;
    snippet.append(text.slice(at, start), element("mark", "", text.slice(start, end)));
    at = end;
  }
  snippet.append(text.slice(at));
  return snippet;
}

/** Highlights each query word in a message body (plain text: the server's search ignores
 * markup too). */
function markedWords(text: string, query: string): HTMLElement {
  const words = query.split(/\s+/).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const ranges: [number, number][] = [];
  if (words.length) {
    for (const found of text.matchAll(new RegExp(words.join("|"), "gi"))) ranges.push([found.index!, found.index! + found[0].length]);
  }
  return markedSnippet(text.length > 200 ? text.slice(0, 200) + "…" : text, ranges.filter(([, end]) => end <= 200));
}

/** On a narrow screen the sidebar (with the search box) is a drawer: open or close it through
 * its own toggle, so its state stays announced. No-op on a wide screen. */
function setSidebarOpen(open: boolean): void {
  const toggle = document.querySelector<HTMLButtonElement>(".sidebar-toggle");
  if (!toggle || toggle.getClientRects().length === 0) return;
  if ((toggle.getAttribute("aria-expanded") === "true") !== open) toggle.click();
}

export function mountSearch(form: HTMLFormElement, context: RoomContext, targets: SearchTargets): void {
  const input = form.querySelector<HTMLInputElement>("input[type=search]")!;
  const panel = element("div", "search-results");
  panel.id = "room-search-results";
  panel.hidden = true;
  const status = element("p", "search-status");
  status.setAttribute("role", "status");
  form.append(status, panel);
  input.setAttribute("aria-controls", panel.id);

  let timer = 0;
  let asked = "";
  const close = () => {
    panel.hidden = true;
    status.textContent = "";
  };

  const group = (title: string, items: HTMLElement[]) => {
    const section = element("section", "search-group");
    const heading = element("h3", "", title);
    heading.id = `search-group-${title.toLowerCase()}`;
    const list = element("ul");
    list.setAttribute("aria-labelledby", heading.id);
    list.append(...items);
    section.append(heading, list);
    return section;
  };
  const resultButton = (label: string, body: HTMLElement, onPick: () => void, testid: string) => {
    const item = element("li");
    const choose = element("button", "search-result");
    choose.type = "button";
    choose.dataset.testid = testid;
    choose.append(element("span", "search-result-title", label), body);
    choose.addEventListener("click", () => {
      close();
      setSidebarOpen(false);
      onPick();
    });
    item.append(choose);
    return item;
  };

  const show = (result: SearchResult) => {
    const documents = result.documents.map((hit) =>
      resultButton(hit.kind === "whiteboard" ? `${hit.title} (whiteboard)` : hit.title, markedSnippet(hit.snippet, hit.highlights), () => targets.openDocument(hit), "search-document"),
    );
    const messages = result.messages.map((message) => {
      const item = resultButton(messageTitle(message), markedWords(message.body, result.query), () => targets.openMessage(message), "search-message");
      item.classList.add(`kind-${message.kind}`);
      return item;
    });
    const comments = (result.comments ?? []).map((hit) =>
      resultButton(
        `${hit.author?.display_name || hit.author?.username || "Someone"} on ${hit.document.title}`,
        markedWords(hit.body, result.query),
        () => window.location.assign(hit.url),
        "search-comment",
      ),
    );
    panel.replaceChildren();
    if (documents.length) panel.append(group("Documents", documents));
    if (messages.length) panel.append(group("Messages", messages));
    if (comments.length) panel.append(group("Comments", comments));
    panel.hidden = !documents.length && !messages.length && !comments.length;
    const found = documents.length + messages.length + comments.length;
    const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
    status.textContent = found ? `${counted(documents.length, "document")}, ${counted(messages.length, "message")}${comments.length ? `, ${counted(comments.length, "comment")}` : ""} found.` : "Nothing found.";
  };

  const run = async () => {
    const query = input.value.trim();
    if (!query) {
      asked = "";
      close();
      return;
    }
    if (query === asked) return;
    asked = query;
    status.textContent = "Searching…";
    try {
      const result = await apiGet<SearchResult>(`${context.urls.search}?q=${encodeURIComponent(query)}`);
      if (asked === query) show(result);
    } catch (reason) {
      if (asked === query) {
        panel.hidden = true;
        status.textContent = errorMessage(reason, "Search failed. Try again.");
      }
    }
  };

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void run(), DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    asked = "";
    void run();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      close();
      input.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const buttons = [...panel.querySelectorAll<HTMLButtonElement>("button.search-result")];
      if (!buttons.length) return;
      event.preventDefault();
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const next = event.key === "ArrowDown" ? Math.min(at + 1, buttons.length - 1) : at - 1;
      (next < 0 ? input : buttons[next]).focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) return; // the editor's own Ctrl+K (a link) comes first there
    const target = event.target as HTMLElement;
    const typing = target.closest("input, textarea, select, [contenteditable=true], .ProseMirror");
    if ((event.key === "k" && (event.ctrlKey || event.metaKey)) || (event.key === "/" && !typing && !event.ctrlKey && !event.altKey && !event.metaKey)) {
      event.preventDefault();
      setSidebarOpen(true);
      input.focus();
      input.select();
    }
  });
}

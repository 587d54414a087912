// "Colour by author": the editor's text decorated with its writers' profile colours, and a
// legend naming them. The runs come from the editor's own Y.Doc (``runs.ts``); who each
// client id is comes from the server (GET documents/{id}/authors), asked again when text of a
// client it does not know yet shows up (someone new typed), at most every few seconds.

import type { Editor } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { apiGetAll } from "../api";
import { element } from "../ui/dom";
import { clientsOfText, placeRuns, type PlacedRun } from "./runs";
import "./authorship.css";

export interface Author {
  id: number;
  username: string;
  display_name: string;
  color: string;
}

export type AuthorMap = Record<string, Author>;

/** The document's author map (client id → author), read page by page from ``url``
 * (GET documents/{id}/authors: ``{client_id, user}`` items). */
export async function fetchAuthorMap(url: string): Promise<AuthorMap> {
  const rows = await apiGetAll<{ client_id: number; user: Author }>(url);
  return Object.fromEntries(rows.map((row) => [String(row.client_id), row.user]));
}

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: Map<Y.AbstractType<unknown>, unknown>;
}

const key = new PluginKey<DecorationSet>("authorColours");
// The page's CSP allows no style attribute: each author's colour is a rule of a constructed
// stylesheet (CSSOM), keyed by the decoration's data-user-id.
const sheet = typeof CSSStyleSheet === "function" ? new CSSStyleSheet() : null;
const painted = new Map<number, string>();

function paint(shown: Author[]): void {
  if (!sheet) return;
  let changed = false;
  for (const author of shown) {
    const colour = /^#[0-9a-f]{3,8}$/i.test(author.color) ? author.color : "#8a94a3";
    if (painted.get(author.id) === colour) continue;
    painted.set(author.id, colour);
    changed = true;
  }
  if (!changed) return;
  sheet.replaceSync(
    [...painted].map(([id, colour]) => `.author-run[data-user-id="${id}"] { --author-colour: ${colour}; }`).join("\n"),
  );
  if (!document.adoptedStyleSheets.includes(sheet)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
// Between two asks for the map when unknown client ids show up, and how often one client id
// is asked about (its text may never be attributed: written before the map existed).
const REFETCH_MS = 3000;
const TRIES_PER_CLIENT = 3;

export function nameOf(author: Author): string {
  return author.display_name || author.username;
}

/** The placed runs of the editor's document (none before the sync plugin is bound). */
export function editorRuns(state: EditorState): PlacedRun[] {
  const binding = (ySyncPluginKey.getState(state) as { binding?: Binding } | undefined)?.binding;
  if (!binding) return [];
  return placeRuns(binding.doc, binding.type, binding.mapping).filter((run) => run.to <= state.doc.content.size);
}

/** The authors of ``runs`` the map knows, in order of their first run. */
export function runAuthors(runs: PlacedRun[], authors: AuthorMap): Author[] {
  const seen = new Map<number, Author>();
  for (const run of runs) {
    const author = authors[String(run.client)];
    if (author && !seen.has(author.id)) seen.set(author.id, author);
  }
  return [...seen.values()];
}

export interface AuthorColours {
  readonly legend: HTMLElement;
  setEnabled(enabled: boolean): void;
  /** The map as last fetched (empty before the first). */
  authors(): AuthorMap;
  destroy(): void;
}

export function mountAuthorColours(editor: Editor, authorsUrl: string): AuthorColours {
  let enabled = false;
  let authors: AuthorMap = {};
  let lastFetch = 0;
  let fetching = false;
  let refetch = 0;
  const tries = new Map<number, number>();
  let scheduled = 0;
  const legend = element("ul", "author-legend");
  legend.setAttribute("aria-label", "Authors");
  legend.hidden = true;

  const fetchAuthors = async () => {
    if (fetching) return;
    fetching = true;
    lastFetch = Date.now();
    try {
      authors = await fetchAuthorMap(authorsUrl);
    } catch {
      // Keep the map we have; the next unknown run asks again.
    } finally {
      fetching = false;
    }
    schedule();
  };

  const renderLegend = (shown: Author[]) => {
    legend.replaceChildren(
      ...shown.map((author) => {
        const item = element("li", "author-legend-item");
        item.dataset.userId = String(author.id);
        const swatch = element("span", "author-swatch");
        swatch.style.background = author.color;
        item.append(swatch, nameOf(author));
        return item;
      }),
    );
    legend.hidden = !enabled;
  };

  const recompute = () => {
    scheduled = 0;
    if (editor.isDestroyed) return;
    const decorations: Decoration[] = [];
    const unknown = new Set<number>();
    const runs = enabled ? editorRuns(editor.state) : [];
    for (const run of runs) {
      const author = authors[String(run.client)];
      if (!author) {
        unknown.add(run.client);
        continue;
      }
      decorations.push(
        Decoration.inline(run.from, run.to, {
          class: "author-run",
          title: nameOf(author),
          "data-user-id": String(author.id),
        }),
      );
    }
    editor.view.dispatch(
      editor.state.tr.setMeta(key, DecorationSet.create(editor.state.doc, decorations)).setMeta("addToHistory", false),
    );
    const shown = runAuthors(runs, authors);
    paint(shown);
    renderLegend(shown);
    const asking = [...unknown].filter((client) => (tries.get(client) ?? 0) < TRIES_PER_CLIENT);
    if (enabled && asking.length && !refetch) {
      // Someone's new text: once their first edit is committed the server knows them.
      refetch = window.setTimeout(
        () => {
          refetch = 0;
          for (const client of asking) tries.set(client, (tries.get(client) ?? 0) + 1);
          void fetchAuthors();
        },
        Math.max(0, lastFetch + REFETCH_MS - Date.now()),
      );
    }
  };
  const schedule = () => {
    if (!scheduled) scheduled = window.requestAnimationFrame(recompute);
  };

  const plugin = new Plugin<DecorationSet>({
    key,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, old) => (tr.getMeta(key) as DecorationSet | undefined) ?? old.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state) => key.getState(state) },
    view: () => ({
      update: (view, previous) => {
        if (enabled && view.state.doc !== previous.doc) schedule();
      },
    }),
  });
  editor.registerPlugin(plugin);

  return {
    legend,
    setEnabled(next) {
      enabled = next;
      if (enabled) void fetchAuthors();
      else schedule();
    },
    authors: () => authors,
    destroy() {
      window.cancelAnimationFrame(scheduled);
      window.clearTimeout(refetch);
      legend.remove();
      if (!editor.isDestroyed) editor.unregisterPlugin(key);
    },
  };
}

/** Names who wrote each insertion (``<ins>``) of a rendered diff, as its title, where the
 * editor's current text holds it and the map knows its clients. */
export function annotateInsertions(root: HTMLElement, editor: Editor, authors: AuthorMap): void {
  const state = editor.state;
  const runs = editorRuns(state).map((run) => ({ text: state.doc.textBetween(run.from, run.to), client: run.client }));
  for (const insertion of root.querySelectorAll<HTMLElement>("ins")) {
    const names = clientsOfText(runs, insertion.textContent ?? "")
      .map((client) => authors[String(client)])
      .filter((author): author is Author => author !== undefined)
      .map(nameOf);
    const unique = [...new Set(names)];
    if (!unique.length) continue;
    insertion.title = `Written by ${unique.join(", ")}`;
    insertion.dataset.authors = unique.join(", ");
  }
}

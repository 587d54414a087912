// Landing on a search match in the text editor: the first occurrence of the matched words is
// selected, scrolled into view and highlighted for a few seconds. The highlight is a
// ProseMirror decoration (the editor redraws any class set on its DOM by hand), added by a
// small plugin registered the first time. Loaded only with the editor.

import type { Editor } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

const HIGHLIGHT_MS = 4000;
const key = new PluginKey<DecorationSet>("search-hit");

function highlighter(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) => (tr.getMeta(key) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state) => key.getState(state) },
  });
}

/** Finds ``match`` (case-insensitive, within one paragraph, heading or list item's text),
 * selects and highlights it; false if the document does not hold it (yet). */
export function revealInEditor(editor: Editor, match: string): boolean {
  const wanted = match.toLocaleLowerCase();
  if (!wanted || editor.isDestroyed) return false;
  let found: { from: number; to: number; block: number; size: number } | null = null;
  editor.state.doc.descendants((node, pos) => {
    if (found) return false;
    if (!node.isTextblock) return true;
    // One character per inline leaf (a hard break), so offsets in the text stay positions.
    const text = node.textBetween(0, node.content.size, undefined, "\ufffc").toLocaleLowerCase();
    const at = text.indexOf(wanted);
    if (at >= 0) found = { from: pos + 1 + at, to: pos + 1 + at + wanted.length, block: pos, size: node.nodeSize };
    return false;
  });
  if (!found) return false;
  const { from, to, block, size } = found;
  if (!key.getState(editor.state)) editor.registerPlugin(highlighter());
  const marks = DecorationSet.create(editor.state.doc, [
    Decoration.inline(from, to, { class: "search-hit" }),
    Decoration.node(block, block + size, { class: "search-hit-block" }),
  ]);
  editor.view.dispatch(editor.state.tr.setMeta(key, marks));
  editor.chain().focus().setTextSelection({ from, to }).scrollIntoView().run();
  window.setTimeout(() => {
    if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(key, DecorationSet.empty));
  }, HIGHLIGHT_MS);
  return true;
}

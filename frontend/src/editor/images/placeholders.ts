// Where images being uploaded will go: a widget shown to the uploader only. It is a
// decoration, not a node, so nothing reaches the shared Yjs document until the image is stored;
// it moves with everyone's edits (mapped through each transaction) until then.

import type { EditorState, Transaction } from "@tiptap/pm/state";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

type Change = { add: { id: string; pos: number; label: string } } | { remove: string };

export const placeholderKey = new PluginKey<DecorationSet>("imagePlaceholders");

function widget(label: string): HTMLElement {
  const element = document.createElement("div");
  element.className = "image-placeholder";
  element.dataset.testid = "image-upload-placeholder";
  element.setAttribute("role", "status");
  element.textContent = `Uploading ${label}…`;
  return element;
}

export function placeholderPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: placeholderKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, set) {
        let next = set.map(tr.mapping, tr.doc);
        const change = tr.getMeta(placeholderKey) as Change | undefined;
        if (change && "add" in change) {
          const { id, pos, label } = change.add;
          next = next.add(tr.doc, [Decoration.widget(pos, () => widget(label), { id, side: -1 })]);
        } else if (change) {
          next = next.remove(next.find(undefined, undefined, (spec) => spec.id === change.remove));
        }
        return next;
      },
    },
    props: {
      decorations: (state) => placeholderKey.getState(state),
    },
  });
}

/** Shows a placeholder for upload ``id`` at ``pos`` (with ``label``, the file's name). */
export function addPlaceholder(tr: Transaction, id: string, pos: number, label: string): Transaction {
  return tr.setMeta(placeholderKey, { add: { id, pos, label } } satisfies Change);
}

export function removePlaceholder(tr: Transaction, id: string): Transaction {
  return tr.setMeta(placeholderKey, { remove: id } satisfies Change);
}

/** Where upload ``id``'s placeholder is now, or null once it is gone. */
export function placeholderPos(state: EditorState, id: string): number | null {
  const found = placeholderKey.getState(state)?.find(undefined, undefined, (spec) => spec.id === id);
  return found?.length ? found[0].from : null;
}

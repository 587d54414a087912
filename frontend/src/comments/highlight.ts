// The editor's comment highlights: a ProseMirror plugin whose decorations mark each open
// thread's range. Ranges are resolved from the threads' relative positions through the sync
// plugin's binding after the Y.Doc has taken each change (the binding writes a local edit to
// Yjs in its view update, after this plugin's state saw it), so meanwhile the decorations are
// mapped through the transaction like any others.

import type { Editor } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { resolveAnchor, type Range, type YBinding } from "./anchors";
import type { CommentThread } from "./types";

const key = new PluginKey<DecorationSet>("commentHighlights");

export interface Highlights {
  /** Resolve and mark ``threads`` again (open ones are highlighted), and the active one. */
  refresh(threads: CommentThread[], active: number | null): void;
  /** The current range of each text thread (null: detached), as of the last refresh. */
  ranges(): Map<number, Range | null>;
  destroy(): void;
}

export function bindingOf(state: EditorState): YBinding | null {
  const binding = (ySyncPluginKey.getState(state) as { binding?: YBinding & { mapping: unknown } } | undefined)?.binding;
  return binding ?? null;
}

/** Adds the highlight plugin to ``editor``; ``onRanges`` hears the ranges after each refresh,
 * ``onClick`` which thread's highlight was clicked. */
export function mountHighlights(
  editor: Editor,
  onRanges: (ranges: Map<number, Range | null>) => void,
  onClick: (threadId: number) => void,
): Highlights {
  let threads: CommentThread[] = [];
  let active: number | null = null;
  let ranges = new Map<number, Range | null>();
  let scheduled = 0;

  const compute = (state: EditorState): DecorationSet => {
    const binding = bindingOf(state);
    ranges = new Map();
    const decorations: Decoration[] = [];
    for (const thread of threads) {
      if (thread.anchor.kind !== "text") continue;
      const range = binding ? resolveAnchor(binding, thread.anchor) : null;
      const fits = range !== null && range.to <= state.doc.content.size;
      ranges.set(thread.id, fits ? range : null);
      if (!fits || thread.resolved) continue;
      decorations.push(
        Decoration.inline(range.from, range.to, {
          class: thread.id === active ? "comment-highlight active" : "comment-highlight",
          "data-thread-id": String(thread.id),
        }),
      );
    }
    return DecorationSet.create(state.doc, decorations);
  };

  const recompute = () => {
    scheduled = 0;
    if (editor.isDestroyed) return;
    const decorations = compute(editor.state);
    editor.view.dispatch(editor.state.tr.setMeta(key, decorations).setMeta("addToHistory", false));
    onRanges(ranges);
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
    props: {
      decorations: (state) => key.getState(state),
      handleClick: (_view, _pos, event) => {
        const mark = (event.target as HTMLElement).closest<HTMLElement>(".comment-highlight");
        if (!mark?.dataset.threadId) return false;
        onClick(Number(mark.dataset.threadId));
        return false;
      },
    },
    view: () => ({
      update: (view, previous) => {
        if (view.state.doc !== previous.doc) schedule();
      },
    }),
  });
  editor.registerPlugin(plugin);

  return {
    refresh(next, nextActive) {
      threads = next;
      active = nextActive;
      schedule();
    },
    ranges: () => ranges,
    destroy() {
      window.cancelAnimationFrame(scheduled);
      if (!editor.isDestroyed) editor.unregisterPlugin(key);
    },
  };
}

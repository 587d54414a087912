// Text anchors: a comment's range as two Yjs relative positions on the editor's XmlFragment,
// so it follows everyone's edits. Made from ProseMirror positions and resolved back to them
// through y-prosemirror's mapping (the sync plugin's binding), encoded as base64 for the
// server, which stores them opaque. The start sticks to the range's first character and the
// end to its last, so text typed just before or after the range stays outside it.

import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from "@tiptap/y-tiptap";
import * as Y from "yjs";

/** What resolving needs: the Y.Doc, the fragment the editor shows and the binding's mapping
 * from Yjs types to ProseMirror nodes (``ySyncPluginKey.getState(state).binding``). */
export interface YBinding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: Map<Y.AbstractType<unknown>, unknown>;
}

export interface Range {
  from: number;
  to: number;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

function encodedAt(binding: YBinding, pos: number, assoc: number): string {
  // y-prosemirror's conversion sticks to the left; re-made at the same place with ``assoc``.
  const left = absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never);
  const absolute = Y.createAbsolutePositionFromRelativePosition(left, binding.doc);
  const relative = absolute ? Y.createRelativePositionFromTypeIndex(absolute.type, absolute.index, assoc) : left;
  return toBase64(Y.encodeRelativePosition(relative));
}

/** The anchor of the ProseMirror range ``from``..``to`` (``from < to``). */
export function anchorOf(binding: YBinding, range: Range): { start: string; end: string } {
  return { start: encodedAt(binding, range.from, 0), end: encodedAt(binding, range.to, -1) };
}

/** Where an anchor is now in the editor's document, or null when it is detached: a position
 * no longer resolves (its text is not in this fragment) or the range collapsed (its text was
 * deleted). Text an undo put back is new text to Yjs, which links the two only in the
 * document that undid: that link is not followed, so every client resolves an anchor alike. */
export function resolveAnchor(binding: YBinding, anchor: { start: string; end: string }): Range | null {
  const positions = [anchor.start, anchor.end].map((encoded) => {
    const bytes = fromBase64(encoded);
    if (!bytes) return null;
    try {
      const plain = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(bytes), binding.doc, false);
      if (!plain) return null;
      const relative = Y.createRelativePositionFromTypeIndex(plain.type, plain.index, plain.assoc);
      return relativePositionToAbsolutePosition(binding.doc, binding.type, relative, binding.mapping as never);
    } catch {
      return null;
    }
  });
  const [from, to] = positions;
  if (from === null || to === null || from === undefined || to === undefined || from >= to) return null;
  return { from, to };
}

// The document's image node: Tiptap's own (`image`, a block, attrs src, alt, title, width,
// height), resizable by a drag handle in the editor, which stores the new `width`.

import { Image } from "@tiptap/extension-image";
import type { ResizableNodeView } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";

function applyWidth(element: HTMLElement, node: ProseMirrorNode): void {
  const width = node.attrs.width as number | null;
  element.style.width = width ? `${width}px` : "";
  // The height follows the width (CSS keeps the aspect ratio and the column's width).
  element.style.height = "";
}

export const DocumentImage = Image.extend({
  addNodeView() {
    const parent = this.parent?.();
    if (!parent) return null;
    return (props) => {
      const view = parent(props) as unknown as ResizableNodeView;
      applyWidth(view.element, props.node);
      // Tiptap's view resizes only for the person dragging: apply the width others set too.
      const update = view.update.bind(view);
      view.update = (node, decorations, innerDecorations) => {
        const kept = update(node, decorations, innerDecorations);
        if (kept) applyWidth(view.element, node);
        return kept;
      };
      return view;
    };
  },
}).configure({
  inline: false,
  allowBase64: false,
  resize: { enabled: true, directions: ["right", "bottom-right", "left", "bottom-left"], minWidth: 48, minHeight: 24, alwaysPreserveAspectRatio: true },
});

// A version's content shown read-only: text documents through the same Tiptap schema as the
// editor (so it looks the same, and nothing in it is ever parsed as HTML), whiteboards as the
// SVG the export makes, their images in it as data URLs (an SVG shown as an image loads
// nothing itself).

import { Editor, type JSONContent } from "@tiptap/core";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import StarterKit from "@tiptap/starter-kit";
import * as Y from "yjs";
import type { DocumentKind } from "../context";
import { DocumentImage } from "../editor/images/node";
import { embeddedDrawing, ImageCache, imageUrl } from "../whiteboard/image-cache";
import { allShapes, shapesOf } from "../whiteboard/model";
import { exportSvg } from "../whiteboard/render";
import "../editor/prosemirror.css";
import "../editor/images/images.css";

export interface Preview {
  element: HTMLElement;
  destroy(): void;
}

function textPreview(content: JSONContent): Preview {
  const element = document.createElement("div");
  element.className = "version-preview-text";
  const editor = new Editor({
    element,
    injectCSS: false, // prosemirror.css instead: the page's CSP refuses an injected <style>
    editable: false,
    content,
    extensions: [StarterKit.configure({ undoRedo: false, link: { openOnClick: false } }), TaskList, TaskItem.configure({ nested: true }), DocumentImage],
    editorProps: { attributes: { class: "prose", "aria-label": "Version content, read-only", "aria-readonly": "true" } },
  });
  return { element, destroy: () => editor.destroy() };
}

async function boardPreview(content: { shapes?: Record<string, Record<string, unknown>> }, documentId: string): Promise<Preview> {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const [id, values] of Object.entries(content.shapes ?? {})) {
      const map = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(values)) map.set(key, value);
      shapesOf(doc).set(id, map);
    }
  });
  const shapes = allShapes(doc);
  doc.destroy();
  const drawing = await embeddedDrawing(new ImageCache((imageId) => imageUrl(documentId, imageId), () => {}), shapes);
  const url = URL.createObjectURL(new Blob([exportSvg(shapes, drawing)], { type: "image/svg+xml" }));
  const image = document.createElement("img");
  image.className = "version-preview-board";
  image.src = url;
  image.alt = shapes.length === 0 ? "An empty whiteboard" : `The whiteboard with ${shapes.length} shape${shapes.length === 1 ? "" : "s"}`;
  return { element: image, destroy: () => URL.revokeObjectURL(url) };
}

/** ``documentId`` names the document whose stored images a board's version shows. */
export async function renderPreview(kind: DocumentKind, content: unknown, documentId: string): Promise<Preview> {
  return kind === "whiteboard"
    ? await boardPreview((content ?? {}) as { shapes?: Record<string, Record<string, unknown>> }, documentId)
    : textPreview((content ?? { type: "doc", content: [] }) as JSONContent);
}

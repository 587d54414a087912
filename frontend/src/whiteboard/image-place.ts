// Where uploaded images land on the board and how they resize: an image comes in at its own
// size, or smaller to fit the view, centred where it was dropped (several in a cascade), and
// keeps its aspect ratio when resized unless Shift is held (as in Excalidraw and tldraw).

import type { Point } from "./geometry";
import { MIN_BOX_SIZE } from "./geometry";
import type { Shape } from "./model";
import { selectionBounds } from "./selection";

// How far each further image of one drop or paste lands from the one before.
export const CASCADE = 20;

/** An uploaded image's size in pixels (the server's display rendition) and identity. */
export interface PlacedImage {
  imageId: string;
  width: number;
  height: number;
  alt?: string;
}

/** ``width`` x ``height`` scaled down (never up) to fit in ``maxSide`` each way. */
export function fittedSize(width: number, height: number, maxSide: number): { w: number; h: number } {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const scale = Math.min(1, maxSide / w, maxSide / h);
  return { w: Math.max(1, Math.round(w * scale)), h: Math.max(1, Math.round(h * scale)) };
}

/** Image shapes for ``images``, the first centred on ``at`` and each next one ``CASCADE``
 * further, stacked above ``topZ``. */
export function imageShapes(images: PlacedImage[], at: Point, maxSide: number, topZ: number, newId: () => string): Shape[] {
  return images.map((image, index) => {
    const { w, h } = fittedSize(image.width, image.height, maxSide);
    return {
      id: newId(),
      type: "image",
      x: Math.round(at.x - w / 2 + index * CASCADE),
      y: Math.round(at.y - h / 2 + index * CASCADE),
      w,
      h,
      color: "#1b2230",
      text: "",
      points: [],
      z: topZ + 1 + index,
      imageId: image.imageId,
      alt: image.alt ?? "",
    };
  });
}

/** Whether resizing ``starts`` keeps their proportions: with an image among them, unless
 * Shift frees it. */
export function keepsAspect(starts: Shape[], shift: boolean): boolean {
  return !shift && starts.some((shape) => shape.type === "image");
}

/** The pointer's drag (dx, dy) on the resize handle turned into one that scales the box of
 * ``starts`` by the same factor both ways: the larger of the two the pointer asks for. */
export function aspectDelta(starts: Shape[], dx: number, dy: number): { dx: number; dy: number } {
  const box = selectionBounds(starts);
  if (!box || box.w <= 0 || box.h <= 0) return { dx, dy };
  const smallest = MIN_BOX_SIZE / Math.min(box.w, box.h);
  const scale = Math.max(smallest, (box.w + dx) / box.w, (box.h + dy) / box.h);
  return { dx: box.w * scale - box.w, dy: box.h * scale - box.h };
}

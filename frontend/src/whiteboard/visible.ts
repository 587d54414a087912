// Culling: the board draws only the shapes near the view. The drawn region is the view grown
// by a quarter of its size each way, so that panning and zooming redraw nothing until the view
// leaves it (or shrinks well inside it, once zoomed in, so the drawn shapes stay few).

import type { Shape } from "./model";
import { rotatedBounds } from "./rotate";
import type { Box } from "./selection";
import type { View } from "./viewport";

// Board px around a shape's box that may still show it: arrowheads, labels, wide strokes.
const SHAPE_PAD = 48;
const boxes = new WeakMap<Shape, Box>();

/** The board area a canvas of ``size`` shows in ``view``. */
export function viewBox(view: View, size: { w: number; h: number }): Box {
  return { x: -view.pan.x / view.zoom, y: -view.pan.y / view.zoom, w: size.w / view.zoom, h: size.h / view.zoom };
}

const GROWTH = 1.5;

/** The region to draw for ``view``: ``drawn`` (the region drawn last) while it still holds the
 * view and the view has not been zoomed in more than twice since, else the view grown by a
 * quarter of its size each way. */
export function drawRegion(view: Box, drawn: Box | null): Box {
  if (drawn && contains(drawn, view) && drawn.w <= 2 * GROWTH * view.w) return drawn;
  const margin = (GROWTH - 1) / 2;
  return { x: view.x - view.w * margin, y: view.y - view.h * margin, w: view.w * GROWTH, h: view.h * GROWTH };
}

function contains(outer: Box, inner: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

/** The shapes whose box as drawn (turned by its rotation, with a margin for what is drawn
 * outside it) meets ``region``, in order. A shape's box is computed once per record (records
 * are replaced when they change). */
export function shapesIn(shapes: Shape[], region: Box): Shape[] {
  return shapes.filter((shape) => {
    let box = boxes.get(shape);
    if (!box) boxes.set(shape, (box = rotatedBounds(shape)));
    return box.x - SHAPE_PAD <= region.x + region.w && box.x + box.w + SHAPE_PAD >= region.x && box.y - SHAPE_PAD <= region.y + region.h && box.y + box.h + SHAPE_PAD >= region.y;
  });
}

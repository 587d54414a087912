// Points on the board, and where a single shape's resize handle sits.

import { bounds, type Shape, type ShapeType } from "./model";

export interface Point {
  x: number;
  y: number;
}

// Smaller boxes could no longer be grabbed by their handle.
export const MIN_BOX_SIZE = 16;

/** Lines and arrows keep a signed end point (w, h) instead of a box. */
export function isLine(type: ShapeType): boolean {
  return type === "line" || type === "arrow";
}

/** Where the resize handle sits: at a line's end, else at the box's bottom-right corner. */
export function resizeHandle(shape: Shape): Point {
  if (isLine(shape.type)) return { x: shape.x + shape.w, y: shape.y + shape.h };
  const box = bounds(shape);
  return { x: box.x + box.w, y: box.y + box.h };
}

// Where a shape goes while it is dragged: moved by its body, resized by its handle.

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

/** The position of ``start`` dragged by (dx, dy), on whole board units. */
export function movedBy(start: Shape, dx: number, dy: number): Point {
  return { x: Math.round(start.x + dx), y: Math.round(start.y + dy) };
}

/** The changes that resize ``start`` by dragging its handle by (dx, dy): a line's end moves
 * freely; a box is normalised (drawn right to left or not) and keeps a minimum size. */
export function resizedBy(start: Shape, dx: number, dy: number): Partial<Shape> {
  if (isLine(start.type)) return { w: start.w + dx, h: start.h + dy };
  const origin = bounds(start);
  return {
    x: origin.x,
    y: origin.y,
    w: Math.max(MIN_BOX_SIZE, Math.abs(start.w) + dx),
    h: Math.max(MIN_BOX_SIZE, Math.abs(start.h) + dy),
  };
}

/** Where the resize handle sits: at a line's end, else at the box's bottom-right corner. */
export function resizeHandle(shape: Shape): Point {
  if (isLine(shape.type)) return { x: shape.x + shape.w, y: shape.y + shape.h };
  const box = bounds(shape);
  return { x: box.x + box.w, y: box.y + box.h };
}

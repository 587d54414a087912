// Rotation: a shape's `rotation` turns its box clockwise about the box's centre (lines,
// arrows and frames have none: their ends or box move instead). Pure geometry over shape
// records: the rotated outline, the box around it, and the changes that rotate a selection
// or resize one rotated shape.

import { isLine, MIN_BOX_SIZE, type Point } from "./geometry";
import { bounds, type Shape } from "./model";
import type { Box, Changes } from "./selection";

// The shapes whose box turns; any other keeps its box upright and only moves with a rotation.
const ROTATABLE = new Set<string>(["rect", "ellipse", "text", "sticky", "pen", "image"]);
/** Shift snaps rotation to 15 degrees, as in Excalidraw and tldraw. */
export const SNAP_ANGLE = Math.PI / 12;

// Whole board units, never -0 (which Yjs would store as such).
const whole = (value: number) => Math.round(value) + 0;

export function isRotatable(shape: Shape): boolean {
  return ROTATABLE.has(shape.type);
}

/** The shape's rotation in radians (0 for a shape that does not turn). */
export function rotationOf(shape: Shape): number {
  return isRotatable(shape) ? (shape.rotation ?? 0) : 0;
}

/** ``angle`` brought into (-π, π]. */
export function normalizedAngle(angle: number): number {
  const turned = angle % (2 * Math.PI);
  if (turned > Math.PI) return turned - 2 * Math.PI;
  if (turned <= -Math.PI) return turned + 2 * Math.PI;
  return turned;
}

/** ``point`` turned by ``angle`` (clockwise on screen, where y grows downward) about ``center``. */
export function rotatePoint(point: Point, center: Point, angle: number): Point {
  if (angle === 0) return point;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const dx = point.x - center.x;
  const dy = point.y - center.y;
  return { x: center.x + dx * cos - dy * sin, y: center.y + dx * sin + dy * cos };
}

export function centerOf(box: Box): Point {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

/** The corners of the shape's box as drawn: top-left, top-right, bottom-right, bottom-left. */
export function cornersOf(shape: Shape): Point[] {
  const box = bounds(shape);
  const center = centerOf(box);
  const angle = rotationOf(shape);
  const corners = [
    { x: box.x, y: box.y },
    { x: box.x + box.w, y: box.y },
    { x: box.x + box.w, y: box.y + box.h },
    { x: box.x, y: box.y + box.h },
  ];
  return corners.map((corner) => rotatePoint(corner, center, angle));
}

/** The upright box around the shape as drawn (its box when it is not rotated). An ellipse's
 * is exact; any other rotated shape's holds its box's corners. */
export function rotatedBounds(shape: Shape): Box {
  const angle = rotationOf(shape);
  if (angle === 0) return bounds(shape);
  const box = bounds(shape);
  const center = centerOf(box);
  if (shape.type === "ellipse") {
    const [a, b, cos, sin] = [box.w / 2, box.h / 2, Math.cos(angle), Math.sin(angle)];
    const halfW = Math.hypot(a * cos, b * sin);
    const halfH = Math.hypot(a * sin, b * cos);
    return { x: center.x - halfW, y: center.y - halfH, w: 2 * halfW, h: 2 * halfH };
  }
  const corners = cornersOf(shape);
  const xs = corners.map((corner) => corner.x);
  const ys = corners.map((corner) => corner.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

/** ``point`` in the shape's own upright frame (undoing its rotation). */
export function toShapeFrame(shape: Shape, point: Point): Point {
  const angle = rotationOf(shape);
  return angle === 0 ? point : rotatePoint(point, centerOf(bounds(shape)), -angle);
}

/** ``point`` of the shape's upright frame where it is drawn on the board. */
export function fromShapeFrame(shape: Shape, point: Point): Point {
  const angle = rotationOf(shape);
  return angle === 0 ? point : rotatePoint(point, centerOf(bounds(shape)), angle);
}

/** Whether ``point`` lies in the shape's box as drawn, or within ``margin`` of it. */
export function containsPoint(shape: Shape, point: Point, margin = 0): boolean {
  const box = bounds(shape);
  const local = toShapeFrame(shape, point);
  return local.x >= box.x - margin && local.x <= box.x + box.w + margin && local.y >= box.y - margin && local.y <= box.y + box.h + margin;
}

/** The point a rotation of ``shapes`` turns about: a lone shape's own centre, else the centre of
 * the box around them. */
export function pivotOf(shapes: Shape[]): Point | null {
  if (shapes.length === 0) return null;
  if (shapes.length === 1) return centerOf(bounds(shapes[0]));
  const boxes = shapes.map(rotatedBounds);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x: (x + Math.max(...boxes.map((b) => b.x + b.w))) / 2, y: (y + Math.max(...boxes.map((b) => b.y + b.h))) / 2 };
}

/** How far a drag from ``from`` to ``to`` turns about ``pivot``. With ``snap``, the result
 * ``base + angle`` lands on a multiple of 15 degrees (``base``: a lone shape's rotation). */
export function dragAngle(pivot: Point, from: Point, to: Point, snap: boolean, base = 0): number {
  const angle = Math.atan2(to.y - pivot.y, to.x - pivot.x) - Math.atan2(from.y - pivot.y, from.x - pivot.x);
  if (!snap) return normalizedAngle(angle);
  return normalizedAngle(Math.round((base + angle) / SNAP_ANGLE) * SNAP_ANGLE - base);
}

/** The changes that turn ``starts`` by ``angle`` about ``pivot``: each shape's centre turns
 * with it and a rotatable shape's `rotation` grows; a line's ends turn, and an end bound to a
 * shape that does not turn with it comes free (as in moving). */
export function rotatedAll(starts: Shape[], pivot: Point, angle: number): Changes {
  const turning = new Set(starts.map((shape) => shape.id));
  const changes: Changes = {};
  for (const shape of starts) {
    if (isLine(shape.type)) {
      const start = rotatePoint({ x: shape.x, y: shape.y }, pivot, angle);
      const end = rotatePoint({ x: shape.x + shape.w, y: shape.y + shape.h }, pivot, angle);
      const x = whole(start.x);
      const y = whole(start.y);
      changes[shape.id] = { x, y, w: whole(end.x) - x, h: whole(end.y) - y };
      if (shape.startBinding && !turning.has(shape.startBinding.shapeId)) changes[shape.id].startBinding = null;
      if (shape.endBinding && !turning.has(shape.endBinding.shapeId)) changes[shape.id].endBinding = null;
      continue;
    }
    const center = centerOf(bounds(shape));
    const moved = rotatePoint(center, pivot, angle);
    changes[shape.id] = { x: whole(shape.x + moved.x - center.x), y: whole(shape.y + moved.y - center.y) };
    if (isRotatable(shape)) changes[shape.id].rotation = normalizedAngle(rotationOf(shape) + angle);
  }
  return changes;
}

/** One rotated shape resized from its bottom-right handle dragged by (dx, dy) on the board:
 * the drag is read along the shape's own axes and its top-left corner stays where it is. */
export function resizedRotated(shape: Shape, dx: number, dy: number): Partial<Shape> {
  const angle = rotationOf(shape);
  const box = bounds(shape);
  const along = rotatePoint({ x: dx, y: dy }, { x: 0, y: 0 }, -angle);
  const w = whole(Math.max(MIN_BOX_SIZE, box.w + along.x));
  const h = whole(Math.max(MIN_BOX_SIZE, box.h + along.y));
  const corner = rotatePoint({ x: box.x, y: box.y }, centerOf(box), angle);
  const center = rotatePoint({ x: corner.x + w / 2, y: corner.y + h / 2 }, corner, angle);
  return { x: whole(center.x - w / 2), y: whole(center.y - h / 2), w, h };
}

/** A rotated shape of a selection whose box is scaled by (sx, sy) from ``box``'s top-left:
 * its centre scales with the box, and its sides by the scale along them. */
export function scaledRotated(shape: Shape, box: Box, sx: number, sy: number): Partial<Shape> {
  const angle = rotationOf(shape);
  const own = bounds(shape);
  const center = centerOf(own);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const w = Math.max(1, whole(own.w * Math.hypot(sx * cos, sy * sin)));
  const h = Math.max(1, whole(own.h * Math.hypot(sx * sin, sy * cos)));
  const x = box.x + (center.x - box.x) * sx;
  const y = box.y + (center.y - box.y) * sy;
  return { x: whole(x - w / 2), y: whole(y - h / 2), w, h };
}

/** The selection's frame as its outline is drawn: a lone rotated shape's own turned box, else
 * the upright box around the shapes. */
export interface Frame {
  center: Point;
  w: number;
  h: number;
  angle: number;
}

export function selectionFrame(shapes: Shape[]): Frame | null {
  if (shapes.length === 0) return null;
  if (shapes.length === 1) {
    const box = bounds(shapes[0]);
    return { center: centerOf(box), w: box.w, h: box.h, angle: rotationOf(shapes[0]) };
  }
  const boxes = shapes.map(rotatedBounds);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const w = Math.max(...boxes.map((b) => b.x + b.w)) - x;
  const h = Math.max(...boxes.map((b) => b.y + b.h)) - y;
  return { center: { x: x + w / 2, y: y + h / 2 }, w, h, angle: 0 };
}

/** The point of ``frame`` at (u, v) of its sides (0 to 1 from its top-left), pushed ``out``
 * further upward along its own axis (the rotation handle stands above the top edge). */
export function framePoint(frame: Frame, u: number, v: number, out = 0): Point {
  const local = { x: frame.center.x + (u - 0.5) * frame.w, y: frame.center.y + (v - 0.5) * frame.h - out };
  return rotatePoint(local, frame.center, frame.angle);
}

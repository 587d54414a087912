// Pure functions over a set of shape records: what a marquee catches, the box around a
// selection, and the changes that move, resize, copy and restack it. The board applies the
// changes in one Yjs transaction so the other person sees the whole selection change at once.

import { bounds, type Binding, type Shape } from "./model";
import { isLine, MIN_BOX_SIZE, type Point } from "./geometry";
import { regrouped } from "./groups";
import { resizedRotated, rotatedBounds, rotationOf, scaledRotated } from "./rotate";

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Changes to apply to shapes, by id. */
export type Changes = Record<string, Partial<Omit<Shape, "id">>>;

/** The box spanned by two corners, whichever way it was dragged. */
export function boxBetween(a: Point, b: Point): Box {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

/** The box around all of ``shapes`` as drawn (rotated ones too); null when there are none. */
export function selectionBounds(shapes: Shape[]): Box | null {
  if (shapes.length === 0) return null;
  const boxes = shapes.map(rotatedBounds);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  return { x, y, w: right - x, h: bottom - y };
}

/** The ids of the shapes lying wholly inside ``box`` (as Excalidraw and tldraw select). */
export function shapesInBox(shapes: Shape[], box: Box): string[] {
  return shapes
    .filter((shape) => {
      const b = rotatedBounds(shape);
      return b.x >= box.x && b.y >= box.y && b.x + b.w <= box.x + box.w && b.y + b.h <= box.y + box.h;
    })
    .map((shape) => shape.id);
}

/** ``selection`` with ``id`` added, or removed if it was there (shift-click). */
export function toggled(selection: string[], id: string): string[] {
  return selection.includes(id) ? selection.filter((other) => other !== id) : [...selection, id];
}

/** ``selection`` and ``more`` together, without repeats. */
export function united(selection: string[], more: string[]): string[] {
  return [...selection, ...more.filter((id) => !selection.includes(id))];
}

/** Moves every shape of ``starts`` by (dx, dy) from where it started, on whole board units. */
export function movedAll(starts: Shape[], dx: number, dy: number): Changes {
  const changes: Changes = {};
  for (const shape of starts) changes[shape.id] = { x: Math.round(shape.x + dx), y: Math.round(shape.y + dy) };
  return changes;
}

/** Resizes ``starts`` as one: their bounding box's bottom-right corner is dragged by
 * (dx, dy) with the top-left corner fixed, and every shape scales with the box. A single box
 * keeps a minimum size; a single line moves its end. */
export function resizedAll(starts: Shape[], dx: number, dy: number): Changes {
  const box = selectionBounds(starts);
  if (!box) return {};
  if (starts.length === 1 && isLine(starts[0].type)) {
    const [line] = starts;
    return { [line.id]: { w: Math.round(line.w + dx), h: Math.round(line.h + dy) } };
  }
  if (starts.length === 1 && rotationOf(starts[0]) !== 0) return { [starts[0].id]: resizedRotated(starts[0], dx, dy) };
  const width = Math.max(MIN_BOX_SIZE, box.w + dx);
  const height = Math.max(MIN_BOX_SIZE, box.h + dy);
  const sx = box.w > 0 ? width / box.w : 1;
  const sy = box.h > 0 ? height / box.h : 1;
  const changes: Changes = {};
  for (const shape of starts) {
    const scaled: Partial<Shape> = {
      x: Math.round(box.x + (shape.x - box.x) * sx),
      y: Math.round(box.y + (shape.y - box.y) * sy),
      w: Math.round(shape.w * sx),
      h: Math.round(shape.h * sy),
    };
    if (shape.type === "pen") {
      scaled.w = shape.w;
      scaled.h = shape.h;
      scaled.points = shape.points.map((value, index) => Math.round(value * (index % 2 === 0 ? sx : sy)));
    } else if (rotationOf(shape) !== 0) {
      Object.assign(scaled, scaledRotated(shape, box, sx, sy));
    } else if (!isLine(shape.type)) {
      // Boxes are stored normalised so that they keep their top-left corner.
      const b = bounds(shape);
      scaled.x = Math.round(box.x + (b.x - box.x) * sx);
      scaled.y = Math.round(box.y + (b.y - box.y) * sy);
      scaled.w = Math.max(1, Math.round(b.w * sx));
      scaled.h = Math.max(1, Math.round(b.h * sy));
    }
    changes[shape.id] = scaled;
  }
  return changes;
}

/** Copies of ``shapes`` with new ids, moved by ``offset`` and stacked above ``topZ`` in
 * their order (pasting and duplicating): unlocked, and a copied group is a new group. */
export function copiesOf(shapes: Shape[], offset: number, topZ: number, newId: () => string): Shape[] {
  const copies = [...shapes]
    .sort((a, b) => a.z - b.z)
    .map(({ locked: _, ...shape }, index) => ({ ...shape, id: newId(), x: shape.x + offset, y: shape.y + offset, z: topZ + 1 + index }))
    .map((copy, _, copies) => rebound(copy, shapes, copies));
  return regrouped(copies, newId);
}

/** A copied connector stays bound to the copies of its shapes; an end bound to a shape not
 * copied with it comes free where it was. */
function rebound(copy: Shape, originals: Shape[], copies: Shape[]): Shape {
  if (!copy.startBinding && !copy.endBinding) return copy;
  const sorted = [...originals].sort((a, b) => a.z - b.z);
  const copyOf = (binding: Binding | null | undefined): Binding | undefined => {
    const index = binding ? sorted.findIndex((shape) => shape.id === binding.shapeId) : -1;
    return binding && index >= 0 ? { ...binding, shapeId: copies[index].id } : undefined;
  };
  const { startBinding, endBinding, ...rest } = copy;
  const result: Shape = { ...rest };
  const start = copyOf(startBinding);
  const end = copyOf(endBinding);
  if (start) result.startBinding = start;
  if (end) result.endBinding = end;
  return result;
}

/** The z changes that bring ``selection`` one step forward (above the next shape it does not
 * hold) or send it one step back; ``shapes`` is the whole board. */
export function restacked(shapes: Shape[], selection: string[], direction: "forward" | "back"): Changes {
  const order = [...shapes].sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
  const chosen = new Set(selection);
  const ids = order.map((shape) => shape.id);
  // Swap each selected shape with its unselected neighbour, walking toward the move.
  const indices = ids.map((_, index) => index);
  if (direction === "forward") indices.reverse();
  const step = direction === "forward" ? 1 : -1;
  for (const index of indices) {
    const neighbour = index + step;
    if (!chosen.has(ids[index]) || neighbour < 0 || neighbour >= ids.length || chosen.has(ids[neighbour])) continue;
    [ids[index], ids[neighbour]] = [ids[neighbour], ids[index]];
  }
  const changes: Changes = {};
  ids.forEach((id, index) => {
    const shape = order.find((other) => other.id === id)!;
    if (shape.z !== index + 1) changes[id] = { z: index + 1 };
  });
  return changes;
}

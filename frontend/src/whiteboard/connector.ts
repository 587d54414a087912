// Connectors: lines and arrows whose ends bind to shapes. A bound end is derived from its
// shape whenever the board is drawn, so it follows the shape however it moved (by this person
// or by another), with no write to the connector.

import { isLine, type Point } from "./geometry";
import { bounds, type Binding, type Shape } from "./model";
import { fromShapeFrame, toShapeFrame } from "./rotate";
import { movedAll, type Changes } from "./selection";

// The shapes a connector's end can bind to.
const BINDABLE = new Set(["rect", "ellipse", "text", "sticky"]);
// How far outside a shape's box (board px) an end still binds to it.
const BIND_MARGIN = 8;

export interface Ends {
  start: Point;
  end: Point;
}

/** The binding for a connector end dropped at ``point``: the topmost bindable shape there
 * (other than ``except``), with the point as a normalized anchor in its box; else null. */
export function bindingAt(point: Point, shapes: Shape[], except?: string): Binding | null {
  for (let i = shapes.length - 1; i >= 0; i--) {
    const shape = shapes[i];
    if (!BINDABLE.has(shape.type) || shape.id === except) continue;
    const box = bounds(shape);
    // The anchor is a point of the shape's own (unrotated) box.
    const local = toShapeFrame(shape, point);
    const inside = local.x >= box.x - BIND_MARGIN && local.x <= box.x + box.w + BIND_MARGIN && local.y >= box.y - BIND_MARGIN && local.y <= box.y + box.h + BIND_MARGIN;
    if (!inside) continue;
    const unit = (value: number, from: number, size: number) => (size > 0 ? Math.min(1, Math.max(0, (value - from) / size)) : 0.5);
    return { shapeId: shape.id, anchor: { x: unit(local.x, box.x, box.w), y: unit(local.y, box.y, box.h) } };
  }
  return null;
}

/** Where the ray from ``shape``'s centre toward ``through`` leaves its outline as drawn (its
 * box, or the ellipse for an ellipse, turned by its rotation). A ray with no direction points
 * at ``toward``. */
export function outlinePoint(shape: Shape, through: Point, toward: Point): Point {
  return fromShapeFrame(shape, uprightOutlinePoint(shape, toShapeFrame(shape, through), toShapeFrame(shape, toward)));
}

function uprightOutlinePoint(shape: Shape, through: Point, toward: Point): Point {
  const box = bounds(shape);
  const center = { x: box.x + box.w / 2, y: box.y + box.h / 2 };
  let dx = through.x - center.x;
  let dy = through.y - center.y;
  if (Math.hypot(dx, dy) < 1e-6) {
    dx = toward.x - center.x;
    dy = toward.y - center.y;
  }
  if (Math.hypot(dx, dy) < 1e-6) return center;
  const rx = box.w / 2;
  const ry = box.h / 2;
  if (rx <= 0 || ry <= 0) return center;
  // The ray is center + t * (dx, dy); t is where it meets the outline.
  const t = shape.type === "ellipse" ? 1 / Math.hypot(dx / rx, dy / ry) : Math.min(rx / Math.abs(dx), ry / Math.abs(dy));
  return { x: center.x + t * dx, y: center.y + t * dy };
}

/** A connector's ends as drawn: each bound end on its shape's outline, each free end (or one
 * bound to a shape no longer on the board) where it is stored. */
export function connectorEnds(connector: Shape, byId: Map<string, Shape>): Ends {
  const stored = { start: { x: connector.x, y: connector.y }, end: { x: connector.x + connector.w, y: connector.y + connector.h } };
  const anchorOf = (binding: Binding | null | undefined): { shape: Shape; point: Point } | null => {
    const shape = binding ? byId.get(binding.shapeId) : undefined;
    if (!binding || !shape) return null;
    const box = bounds(shape);
    return { shape, point: fromShapeFrame(shape, { x: box.x + binding.anchor.x * box.w, y: box.y + binding.anchor.y * box.h }) };
  };
  const start = anchorOf(connector.startBinding);
  const end = anchorOf(connector.endBinding);
  // Each end aims at the other's anchor (or free end) when its own anchor is the centre.
  const startAim = end?.point ?? stored.end;
  const endAim = start?.point ?? stored.start;
  return {
    start: start ? outlinePoint(start.shape, start.point, startAim) : stored.start,
    end: end ? outlinePoint(end.shape, end.point, endAim) : stored.end,
  };
}

/** The board's shapes with each bound connector's x, y, w, h set to its drawn ends: what the
 * renderer, the selection outline and the exports use. */
export function withConnectorsRouted(shapes: Shape[]): Shape[] {
  if (!shapes.some((shape) => shape.startBinding || shape.endBinding)) return shapes;
  const byId = new Map(shapes.map((shape) => [shape.id, shape]));
  return shapes.map((shape) => {
    if (!isLine(shape.type) || (!shape.startBinding && !shape.endBinding)) return shape;
    const { start, end } = connectorEnds(shape, byId);
    return { ...shape, x: start.x, y: start.y, w: end.x - start.x, h: end.y - start.y };
  });
}

/** The points of a connector's path from ``start`` to ``end``: straight, or an elbow (out
 * along the longer axis, across at the middle, and in). */
export function routePoints(shape: Shape, { start, end }: Ends): Point[] {
  if (shape.route !== "elbow") return [start, end];
  if (Math.abs(end.x - start.x) >= Math.abs(end.y - start.y)) {
    const middle = (start.x + end.x) / 2;
    return [start, { x: middle, y: start.y }, { x: middle, y: end.y }, end];
  }
  const middle = (start.y + end.y) / 2;
  return [start, { x: start.x, y: middle }, { x: end.x, y: middle }, end];
}

/** Where a connector's label sits: halfway along its path. */
export function labelPoint(points: Point[]): Point {
  const lengths = points.slice(1).map((point, i) => Math.hypot(point.x - points[i].x, point.y - points[i].y));
  let left = lengths.reduce((sum, length) => sum + length, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (left <= lengths[i] && lengths[i] > 0) {
      const share = left / lengths[i];
      return { x: points[i].x + (points[i + 1].x - points[i].x) * share, y: points[i].y + (points[i + 1].y - points[i].y) * share };
    }
    left -= lengths[i];
  }
  return points[0];
}

/** The changes that unbind every connector end bound to one of ``removed``, leaving each end
 * where it was drawn: deleting a shape keeps its connectors. */
export function unbindFrom(shapes: Shape[], removed: string[]): Changes {
  const gone = new Set(removed);
  const byId = new Map(shapes.map((shape) => [shape.id, shape]));
  const changes: Changes = {};
  for (const shape of shapes) {
    if (gone.has(shape.id) || !isLine(shape.type)) continue;
    const startGone = shape.startBinding && gone.has(shape.startBinding.shapeId);
    const endGone = shape.endBinding && gone.has(shape.endBinding.shapeId);
    if (!startGone && !endGone) continue;
    const { start, end } = connectorEnds(shape, byId);
    changes[shape.id] = { x: start.x, y: start.y, w: end.x - start.x, h: end.y - start.y };
    if (startGone) changes[shape.id].startBinding = null;
    if (endGone) changes[shape.id].endBinding = null;
  }
  return changes;
}

/** The changes that move ``starts`` by (dx, dy): a moved connector comes free of each shape
 * that does not move with it (dragging an arrow away from its shape detaches it). */
export function movedWithConnectors(starts: Shape[], dx: number, dy: number): Changes {
  const changes = movedAll(starts, dx, dy);
  const moving = new Set(starts.map((shape) => shape.id));
  for (const shape of starts) {
    if (shape.startBinding && !moving.has(shape.startBinding.shapeId)) changes[shape.id].startBinding = null;
    if (shape.endBinding && !moving.has(shape.endBinding.shapeId)) changes[shape.id].endBinding = null;
  }
  return changes;
}

/** ``changes`` to a line whose end was dragged, with the end bound to the shape it was
 * dropped on (or freed if it left its shape). */
export function endRebound(line: Shape, changes: Changes, shapes: Shape[]): Changes {
  const moved = changes[line.id];
  const end = { x: line.x + (moved?.w ?? line.w), y: line.y + (moved?.h ?? line.h) };
  const binding = bindingAt(end, shapes, line.startBinding?.shapeId);
  if (!binding && !line.endBinding) return changes;
  return { ...changes, [line.id]: { ...moved, endBinding: binding } };
}

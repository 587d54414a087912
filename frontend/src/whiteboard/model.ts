// The whiteboard's data: the Y.Doc's Map "shapes", one nested Y.Map per shape (so two people
// changing different properties of one shape both win), keyed by a random id.

import * as Y from "yjs";

export type ShapeType = "rect" | "ellipse" | "line" | "arrow" | "pen" | "text" | "sticky";

export interface Shape {
  id: string;
  type: ShapeType;
  x: number;
  y: number;
  w: number; // for lines and arrows, the end is (x + w, y + h): w and h may be negative
  h: number;
  color: string;
  text: string;
  points: number[]; // pen strokes: x0, y0, x1, y1, ... relative to (x, y)
  z: number;
  // Style (added after the first boards: absent on theirs, which draw with the defaults).
  strokeWidth?: number;
  dash?: Dash;
  fill?: string; // a CSS colour; absent or "" for none (a sticky note keeps its yellow)
  opacity?: number; // 0.1 to 1
  // Connectors (lines and arrows, since issue 25): an end bound to a shape follows it; null
  // once unbound (Yjs stores no undefined). The stored x, y, w, h stay where the ends last were.
  startBinding?: Binding | null;
  endBinding?: Binding | null;
  startHead?: Head; // absent: none
  endHead?: Head; // absent: an arrow's end has an arrowhead, a line's none
  route?: Route; // absent: straight
  // Transform (since issue 25): see rotate.ts, groups.ts and lock.ts.
  rotation?: number; // radians, clockwise about the box's centre; absent: 0
  groupId?: string; // shapes sharing one form a group
  locked?: boolean;
}

/** A connector's end bound to a shape: ``anchor`` is a point in the shape's box, normalized
 * (0 to 1 each way); the end sits where the ray from the box's centre through it leaves the
 * shape's outline. */
export interface Binding {
  shapeId: string;
  anchor: { x: number; y: number };
}
/** What the connector panel sets: on the selected lines and arrows, and on the next drawn. */
export type ConnectorStyle = Pick<Shape, "startHead" | "endHead" | "route">;
export type Head = "none" | "arrow";
export const HEADS: Head[] = ["none", "arrow"];
export type Route = "straight" | "elbow";
export const ROUTES: Route[] = ["straight", "elbow"];

export type Dash = "solid" | "dashed" | "dotted";
export const DASHES: Dash[] = ["solid", "dashed", "dotted"];

/** What the style panel sets: on the selection, and on the next shapes drawn. */
export type Style = Required<Pick<Shape, "color" | "strokeWidth" | "dash" | "fill" | "opacity">>;
export const DEFAULT_STYLE: Style = { color: "#1b2230", strokeWidth: 2, dash: "solid", fill: "", opacity: 1 };

export const COLORS = ["#1b2230", "#e03131", "#2f6fdf", "#2b8a3e", "#f08c00", "#9c36b5"];
export const STICKY_FILL = "#fff3bf";

export function shapesOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap("shapes");
}

export const SHAPE_TYPES: ShapeType[] = ["rect", "ellipse", "line", "arrow", "pen", "text", "sticky"];

/** A shape from its fields as ``get`` gives them (a stored Y.Map or pasted JSON): numbers
 * that are not finite become 0 and missing fields their default; null without a known type
 * (a shape half-written by a peer, or not a shape). */
export function shapeFrom(id: string, get: (key: string) => unknown): Shape | null {
  const type = get("type") as ShapeType;
  if (!SHAPE_TYPES.includes(type)) return null;
  const number = (key: string) => {
    const value = get(key);
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  };
  const text = (key: string, fallback: string) => {
    const value = get(key);
    return typeof value === "string" ? value : fallback;
  };
  const points = get("points");
  const shape: Shape = {
    id,
    type,
    x: number("x"),
    y: number("y"),
    w: number("w"),
    h: number("h"),
    color: text("color", COLORS[0]),
    text: text("text", ""),
    points: Array.isArray(points) ? points.filter((p): p is number => typeof p === "number" && Number.isFinite(p)) : [],
    z: number("z"),
  };
  // Style fields stay absent unless stored and valid, so old boards read back unchanged.
  const width = get("strokeWidth");
  if (typeof width === "number" && width > 0 && width <= 64) shape.strokeWidth = width;
  const dash = get("dash") as Dash;
  if (DASHES.includes(dash)) shape.dash = dash;
  if (typeof get("fill") === "string") shape.fill = get("fill") as string;
  const opacity = get("opacity");
  if (typeof opacity === "number" && opacity >= 0.1 && opacity <= 1) shape.opacity = opacity;
  if (type === "line" || type === "arrow") readConnector(shape, get);
  readTransform(shape, get);
  return shape;
}

function bindingFrom(value: unknown): Binding | null {
  if (typeof value !== "object" || value === null) return null;
  const { shapeId, anchor } = value as { shapeId?: unknown; anchor?: { x?: unknown; y?: unknown } };
  const unit = (n: unknown) => typeof n === "number" && n >= 0 && n <= 1;
  if (typeof shapeId !== "string" || typeof anchor !== "object" || anchor === null || !unit(anchor.x) || !unit(anchor.y)) return null;
  return { shapeId, anchor: { x: anchor.x as number, y: anchor.y as number } };
}

/** A connector's optional fields, each kept only when valid. */
function readConnector(shape: Shape, get: (key: string) => unknown): void {
  const start = bindingFrom(get("startBinding"));
  if (start) shape.startBinding = start;
  const end = bindingFrom(get("endBinding"));
  if (end) shape.endBinding = end;
  const startHead = get("startHead") as Head;
  if (HEADS.includes(startHead)) shape.startHead = startHead;
  const endHead = get("endHead") as Head;
  if (HEADS.includes(endHead)) shape.endHead = endHead;
  const route = get("route") as Route;
  if (ROUTES.includes(route)) shape.route = route;
}

/** Rotation, group and lock, each kept only when valid (a line is never rotated). */
function readTransform(shape: Shape, get: (key: string) => unknown): void {
  const rotation = get("rotation");
  if (typeof rotation === "number" && Number.isFinite(rotation) && rotation !== 0 && shape.type !== "line" && shape.type !== "arrow") shape.rotation = rotation;
  const groupId = get("groupId");
  if (typeof groupId === "string" && groupId !== "") shape.groupId = groupId;
  if (get("locked") === true) shape.locked = true;
}

export function readShape(id: string, map: Y.Map<unknown>): Shape | null {
  return shapeFrom(id, (key) => map.get(key));
}

export function allShapes(doc: Y.Doc): Shape[] {
  const shapes: Shape[] = [];
  shapesOf(doc).forEach((map, id) => {
    const shape = map instanceof Y.Map ? readShape(id, map) : null;
    if (shape) shapes.push(shape);
  });
  return shapes.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
}

export function newShapeId(): string {
  return crypto.randomUUID();
}

/** Adds a shape (inside the caller's transaction). */
export function addShape(doc: Y.Doc, shape: Shape): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(shape)) if (key !== "id") map.set(key, value);
  shapesOf(doc).set(shape.id, map);
  return map;
}

/** Sets the given fields of a stored shape; a field given as undefined is removed (it then
 * reads as its default, as the shape schema wants rather than a stored null). */
export function updateShape(doc: Y.Doc, id: string, changes: Partial<Omit<Shape, "id">>): void {
  const map = shapesOf(doc).get(id);
  if (!(map instanceof Y.Map)) return;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) {
      if (map.has(key)) map.delete(key);
    } else if (map.get(key) !== value) map.set(key, value);
  }
}

/** The box a shape covers, normalised (positive width and height). */
export function bounds(shape: Shape): { x: number; y: number; w: number; h: number } {
  if (shape.type === "pen" && shape.points.length >= 2) {
    const xs = shape.points.filter((_, i) => i % 2 === 0);
    const ys = shape.points.filter((_, i) => i % 2 === 1);
    const minX = Math.min(...xs);
    const minY = Math.min(...ys);
    return { x: shape.x + minX, y: shape.y + minY, w: Math.max(...xs) - minX, h: Math.max(...ys) - minY };
  }
  return {
    x: Math.min(shape.x, shape.x + shape.w),
    y: Math.min(shape.y, shape.y + shape.h),
    w: Math.abs(shape.w),
    h: Math.abs(shape.h),
  };
}

/** A shape's style, with the defaults for what it does not store. */
export function styleOf(shape: Shape): Style {
  return {
    color: shape.color,
    strokeWidth: shape.strokeWidth ?? DEFAULT_STYLE.strokeWidth,
    dash: shape.dash ?? DEFAULT_STYLE.dash,
    fill: shape.fill ?? DEFAULT_STYLE.fill,
    opacity: shape.opacity ?? DEFAULT_STYLE.opacity,
  };
}

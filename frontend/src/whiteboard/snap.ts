// Snapping while a selection is dragged or resized, or a box drawn: its box (or the dragged
// corner) snaps to the edges and centres of the other shapes in view, within a few screen
// pixels, and guides show what it lined up with; where nothing is that close and the grid is
// on, it snaps to the grid. The candidates are gathered and sorted once, when the drag
// starts, so each pointer move is a binary search.

import { isLine, resizeHandle, type Point } from "./geometry";
import type { Shape, ShapeType } from "./model";
import { rotatedBounds } from "./rotate";
import { boxBetween, selectionBounds, type Box } from "./selection";

// How close (screen pixels, whatever the zoom) an edge or centre must come to snap.
export const SNAP_DISTANCE = 6;
// The grid's cell, in board units.
export const GRID_SIZE = 20;

/** An edge or centre line of a shape: at ``at`` on one axis, spanning ``from`` to ``to`` on
 * the other. */
export interface SnapLine {
  at: number;
  from: number;
  to: number;
}

/** The lines a moving box can snap to, each axis sorted by ``at``: ``x`` holds the vertical
 * lines (lefts, centres, rights), ``y`` the horizontal ones. */
export interface SnapTargets {
  x: SnapLine[];
  y: SnapLine[];
}

/** A guide to draw: the vertical line x = ``at`` (axis x) or the horizontal line y = ``at``,
 * from ``from`` to ``to`` along it. */
export interface Guide {
  axis: "x" | "y";
  at: number;
  from: number;
  to: number;
}

/** What the board tells the machine about snapping: the zoom, the grid's cell when the grid
 * is on, and the board area in view (read once, when a drag starts). */
export interface SnapSettings {
  zoom: number;
  grid: number | null;
  view(): Box;
}

export interface Snap {
  dx: number;
  dy: number;
  guides: Guide[];
}

export const NO_SNAP: Snap = { dx: 0, dy: 0, guides: [] };

/** Whether a shape being drawn snaps: boxes do; a pen stroke is freehand, and a connector's
 * ends bind to shapes instead. */
export function snapsWhileDrawing(type: ShapeType): boolean {
  return type !== "pen" && !isLine(type);
}

function overlaps(a: Box, b: Box): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/** Whether ``shape`` moves with ``moving``: one of them, or held by a frame among them. */
function movesWith(shape: Shape, moving: Set<string>): boolean {
  return moving.has(shape.id) || ("frameId" in shape && typeof shape.frameId === "string" && moving.has(shape.frameId));
}

/** The lines of the shapes in ``view`` that do not move with the selection, from each one's box
 * as drawn (a rotated shape's upright bounds, as the moving selection's). Lines and arrows are
 * left out: their boxes are no edges anyone lines things up with. */
export function snapTargets(shapes: Shape[], moving: Set<string>, view: Box): SnapTargets {
  const x: SnapLine[] = [];
  const y: SnapLine[] = [];
  for (const shape of shapes) {
    if (movesWith(shape, moving) || isLine(shape.type)) continue;
    const box = rotatedBounds(shape);
    if (!overlaps(box, view)) continue;
    for (const at of [box.x, box.x + box.w / 2, box.x + box.w]) x.push({ at, from: box.y, to: box.y + box.h });
    for (const at of [box.y, box.y + box.h / 2, box.y + box.h]) y.push({ at, from: box.x, to: box.x + box.w });
  }
  const byAt = (a: SnapLine, b: SnapLine) => a.at - b.at;
  return { x: x.sort(byAt), y: y.sort(byAt) };
}

/** The index of the first line at or after ``value``. */
function firstFrom(lines: SnapLine[], value: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lines[middle].at < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The smallest shift that puts one of ``probes`` on a line within ``reach``; null if none. */
function nearestShift(probes: number[], lines: SnapLine[], reach: number): number | null {
  let best: number | null = null;
  for (const probe of probes) {
    for (let i = firstFrom(lines, probe - reach); i < lines.length && lines[i].at <= probe + reach; i++) {
      const shift = lines[i].at - probe;
      if (best === null || Math.abs(shift) < Math.abs(best)) best = shift;
    }
  }
  return best;
}

// Lines this close count as the same (the shifts are differences of the same numbers).
const SAME = 1e-6;

/** A guide for each of ``values`` that lies on lines, spanning them and the moving box
 * (``from`` to ``to`` along the guide). */
function guidesAt(axis: "x" | "y", values: number[], lines: SnapLine[], from: number, to: number): Guide[] {
  const guides: Guide[] = [];
  for (const value of values) {
    let start = from;
    let end = to;
    let found = false;
    for (let i = firstFrom(lines, value - SAME); i < lines.length && lines[i].at <= value + SAME; i++) {
      found = true;
      start = Math.min(start, lines[i].from);
      end = Math.max(end, lines[i].to);
    }
    if (found && !guides.some((guide) => Math.abs(guide.at - value) <= SAME)) guides.push({ axis, at: value, from: start, to: end });
  }
  return guides;
}

function toGrid(value: number, grid: number): number {
  return Math.round(value / grid) * grid - value;
}

/** Snaps the probes of each axis: to the nearest shape line within reach, else (grid on) the
 * first probe to the grid; ``extent`` is the moving box, which the guides span. */
function snapProbes(xs: number[], ys: number[], extent: Box, targets: SnapTargets, settings: Pick<SnapSettings, "zoom" | "grid">): Snap {
  const reach = SNAP_DISTANCE / settings.zoom;
  const onX = nearestShift(xs, targets.x, reach);
  const onY = nearestShift(ys, targets.y, reach);
  const grid = settings.grid;
  const dx = onX ?? (grid ? toGrid(xs[0], grid) : 0);
  const dy = onY ?? (grid ? toGrid(ys[0], grid) : 0);
  const guides = [
    ...(onX === null ? [] : guidesAt("x", xs.map((x) => x + dx), targets.x, extent.y + dy, extent.y + extent.h + dy)),
    ...(onY === null ? [] : guidesAt("y", ys.map((y) => y + dy), targets.y, extent.x + dx, extent.x + extent.w + dx)),
  ];
  return { dx, dy, guides };
}

/** How far to shift a moved ``box`` so that its left, centre or right (top, middle or bottom)
 * lies on a target; on the grid, its top-left corner goes to a grid point. */
export function snapBox(box: Box, targets: SnapTargets, settings: Pick<SnapSettings, "zoom" | "grid">): Snap {
  return snapProbes([box.x, box.x + box.w / 2, box.x + box.w], [box.y, box.y + box.h / 2, box.y + box.h], box, targets, settings);
}

/** How far to shift a dragged corner or line end ``point``; ``extent`` is the box it
 * stretches, which the guides span. */
export function snapPoint(point: Point, extent: Box, targets: SnapTargets, settings: Pick<SnapSettings, "zoom" | "grid">): Snap {
  return snapProbes([point.x], [point.y], extent, targets, settings);
}

/** How far to shift the move of ``starts`` by (dx, dy) so that their box snaps. */
export function snapMove(starts: Shape[], dx: number, dy: number, targets: SnapTargets, settings: Pick<SnapSettings, "zoom" | "grid">): Snap {
  const box = selectionBounds(starts);
  return box ? snapBox({ ...box, x: box.x + dx, y: box.y + dy }, targets, settings) : NO_SNAP;
}

/** How far to shift a resize of ``starts`` by (dx, dy) so that the dragged handle snaps: the
 * box's bottom-right corner, or a single line's end. */
export function snapResize(starts: Shape[], dx: number, dy: number, targets: SnapTargets, settings: Pick<SnapSettings, "zoom" | "grid">): Snap {
  const box = selectionBounds(starts);
  if (!box) return NO_SNAP;
  const line = starts.length === 1 && isLine(starts[0].type) ? starts[0] : null;
  const handle = line ? resizeHandle(line) : { x: box.x + box.w, y: box.y + box.h };
  const corner = { x: handle.x + dx, y: handle.y + dy };
  return snapPoint(corner, boxBetween(line ?? box, corner), targets, settings);
}

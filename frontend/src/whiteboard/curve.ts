// The geometry of a curved connector: one cubic Bézier between its ends, points along it (for
// the label, the arrowheads, the bounds and hit testing) and distances to a drawn path.

import type { Point } from "./geometry";
import type { Box } from "./selection";

export interface Cubic {
  start: Point;
  c1: Point;
  c2: Point;
  end: Point;
}

/** The outward direction (a unit vector) in which a connector leaves each end's shape, or null
 * for a free end. */
export interface Exits {
  start: Point | null;
  end: Point | null;
}

// How far the control points reach out from the ends, as a share of the ends' distance: far
// enough that the curve visibly leaves along its direction, not so far that it loops.
const REACH = 0.4;
// Enough samples that the drawn polyline and the true curve differ by under a pixel at the
// sizes a board has.
const SAMPLES = 32;

/** The curve from ``start`` to ``end``: it leaves each bound end along its exit direction
 * (perpendicular to the shape's outline); a free end leaves along the axis on which the ends
 * lie further apart, toward the other end, so two free ends make a smooth elbow. */
export function curveBetween(start: Point, end: Point, exits: Exits): Cubic {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const reach = Math.hypot(dx, dy) * REACH;
  const axis = Math.abs(dx) >= Math.abs(dy) ? { x: Math.sign(dx) || 1, y: 0 } : { x: 0, y: Math.sign(dy) || 1 };
  const out = exits.start ?? axis;
  const back = exits.end ?? { x: -axis.x, y: -axis.y };
  return {
    start,
    c1: { x: start.x + out.x * reach, y: start.y + out.y * reach },
    c2: { x: end.x + back.x * reach, y: end.y + back.y * reach },
    end,
  };
}

/** The point at ``t`` (0 at the start, 1 at the end). */
export function pointOnCurve({ start, c1, c2, end }: Cubic, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * start.x + b * c1.x + c * c2.x + d * end.x, y: a * start.y + b * c1.y + c * c2.y + d * end.y };
}

/** Points along the curve, its ends included. */
export function curvePoints(curve: Cubic, samples = SAMPLES): Point[] {
  return Array.from({ length: samples + 1 }, (_, i) => pointOnCurve(curve, i / samples));
}

/** The curve as SVG path data. */
export function curvePath({ start, c1, c2, end }: Cubic): string {
  return `M${start.x} ${start.y} C${c1.x} ${c1.y} ${c2.x} ${c2.y} ${end.x} ${end.y}`;
}

/** The box around ``points`` (a curve bulges out of the box of its ends). */
export function pointsBounds(points: Point[]): Box {
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

/** How far ``point`` is from the path through ``points``. */
export function distanceToPath(point: Point, points: Point[]): number {
  if (points.length === 1) return Math.hypot(point.x - points[0].x, point.y - points[0].y);
  let nearest = Infinity;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const length = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
    const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((point.x - a.x) * (b.x - a.x) + (point.y - a.y) * (b.y - a.y)) / length));
    nearest = Math.min(nearest, Math.hypot(point.x - (a.x + t * (b.x - a.x)), point.y - (a.y + t * (b.y - a.y))));
  }
  return nearest;
}

// Two-finger pan and pinch zoom, as on a phone's map: the board point that was under the
// fingers' midpoint when the second finger landed stays under their midpoint, and the zoom
// follows the distance between them.

import type { Point } from "./geometry";
import { MAX_ZOOM, MIN_ZOOM, toBoardPoint, type View } from "./viewport";

export type Pair = [Point, Point];

export const midpoint = ([a, b]: Pair): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const spread = ([a, b]: Pair): number => Math.hypot(a.x - b.x, a.y - b.y);

/** The view while two fingers that started at ``from`` (canvas coordinates), with the board
 * at ``start``, are now at ``to``. */
export function pinchView(start: View, from: Pair, to: Pair): View {
  const anchor = toBoardPoint(start, midpoint(from));
  const ratio = spread(from) > 0 ? spread(to) / spread(from) : 1;
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, start.zoom * ratio));
  const centre = midpoint(to);
  return { zoom, pan: { x: centre.x - anchor.x * zoom, y: centre.y - anchor.y * zoom } };
}

/** What the board does with a touch event: hand it to the machine as a mouse's, take back
 * the first finger's action (a second finger landed: a pinch begins), show a pinched view,
 * or nothing (a finger of a pinch, or one left over from it). */
export type TouchStep = { kind: "machine" } | { kind: "cancel" } | { kind: "view"; view: View } | { kind: "ignore" };

/** The fingers on the canvas by pointer id: one finger acts as the mouse does, two pinch. */
export class TouchTracker {
  private readonly fingers = new Map<number, Point>();
  private readonly pinching = new Set<number>(); // fingers that were ever part of a pinch
  private pinch: { ids: [number, number]; from: Pair; start: View } | null = null;

  down(id: number, at: Point, view: View): TouchStep {
    this.fingers.set(id, at);
    if (this.fingers.size === 1) return { kind: "machine" };
    for (const finger of this.fingers.keys()) this.pinching.add(finger);
    if (this.pinch) return { kind: "ignore" }; // a third finger
    const [[a, pointA], [b, pointB]] = [...this.fingers.entries()];
    this.pinch = { ids: [a, b], from: [pointA, pointB], start: view };
    return { kind: "cancel" };
  }

  move(id: number, at: Point): TouchStep {
    if (!this.fingers.has(id)) return { kind: "machine" };
    this.fingers.set(id, at);
    if (this.pinch?.ids.includes(id)) {
      const [a, b] = this.pinch.ids.map((finger) => this.fingers.get(finger)!);
      return { kind: "view", view: pinchView(this.pinch.start, this.pinch.from, [a, b]) };
    }
    return this.pinching.has(id) ? { kind: "ignore" } : { kind: "machine" };
  }

  /** A finger lifted (or the browser cancelled it). The pinch ends with either of its fingers;
   * the other does nothing until it lifts too. */
  up(id: number): TouchStep {
    const pinched = this.pinching.delete(id);
    this.fingers.delete(id);
    if (this.pinch?.ids.includes(id)) this.pinch = null;
    return pinched ? { kind: "ignore" } : { kind: "machine" };
  }
}

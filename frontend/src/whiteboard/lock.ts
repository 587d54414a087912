// Locking: a locked shape stays where it is. It is drawn as usual and other people's edits to
// it still show, but no click or marquee picks it and no move, nudge, resize, rotation,
// deletion or restyling changes it, until someone unlocks it.

import type { Point } from "./geometry";
import type { Shape } from "./model";
import { containsPoint } from "./rotate";
import type { Changes } from "./selection";

// How near (board px) the pointer must come to a locked shape to show its lock mark.
const HOVER_MARGIN = 4;

/** The shapes of ``shapes`` that may be changed. */
export function unlocked(shapes: Shape[]): Shape[] {
  return shapes.filter((shape) => !shape.locked);
}

/** Ctrl/Cmd+Shift+L: locks the selection, or unlocks it when all of it is locked already. */
export function lockToggled(selection: Shape[]): Changes {
  const locked = selection.length > 0 && selection.every((shape) => shape.locked);
  return Object.fromEntries(selection.filter((shape) => !!shape.locked === locked).map((shape) => [shape.id, { locked: !locked }]));
}

/** The changes that unlock ``ids`` (or, without them, every locked shape of ``shapes``). */
export function unlockedAll(shapes: Shape[], ids?: string[]): Changes {
  return Object.fromEntries(shapes.filter((shape) => shape.locked && (!ids || ids.includes(shape.id))).map((shape) => [shape.id, { locked: false }]));
}

/** The topmost locked shape at ``point`` (its lock mark shows while the pointer is there). */
export function lockedAt(point: Point, shapes: Shape[]): Shape | null {
  for (let i = shapes.length - 1; i >= 0; i--) {
    if (shapes[i].locked && containsPoint(shapes[i], point, HOVER_MARGIN)) return shapes[i];
  }
  return null;
}

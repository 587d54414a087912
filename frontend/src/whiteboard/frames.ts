// Frames: titled boxes that hold shapes (as Excalidraw's and tldraw's frames). A shape names
// the frame that holds it in ``frameId``; these pure functions decide who joins and leaves,
// what moves and copies along with a frame, and the order and clipping the renderer uses.

import { withGroups } from "./groups";
import { unlocked } from "./lock";
import { bounds, type Shape } from "./model";
import type { Box, Changes } from "./selection";

export function isFrame(shape: Shape): boolean {
  return shape.type === "frame";
}

function within(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/** The title a new frame gets: "Frame" and the next number on the board. */
export function newFrameTitle(shapes: Shape[]): string {
  return `Frame ${shapes.filter(isFrame).length + 1}`;
}

/** The shapes to draw, in order: frames first (under everything), then the rest by ``z``.
 * ``shapes`` comes bottom first, and each part keeps that order. */
export function drawOrder(shapes: Shape[]): Shape[] {
  return [...shapes.filter(isFrame), ...shapes.filter((shape) => !isFrame(shape))];
}

/** The frame a shape is drawn clipped to: its frame, if that is on the board. */
export function clippingFrame(shape: Shape, frames: Map<string, Shape>): Shape | null {
  return shape.frameId ? (frames.get(shape.frameId) ?? null) : null;
}

/** The shapes of ``ids`` and the members of each frame among them: what moves, copies and
 * is exported along with a frame. In board order. */
export function withFrameMembers(shapes: Shape[], ids: string[]): Shape[] {
  const chosen = new Set(ids);
  const frames = new Set(shapes.filter((shape) => chosen.has(shape.id) && isFrame(shape)).map((shape) => shape.id));
  return shapes.filter((shape) => chosen.has(shape.id) || (shape.frameId !== undefined && shape.frameId !== null && frames.has(shape.frameId)));
}

/** What a move of ``ids`` moves: their groups, the members of each unlocked frame among them
 * (with their groups), less every locked shape, which stays where it is. In board order. */
export function movingWith(shapes: Shape[], ids: string[]): Shape[] {
  const free = unlocked(shapes);
  const members = withFrameMembers(free, withGroups(shapes, ids)).map((shape) => shape.id);
  return unlocked(shapes.filter((shape) => withGroups(shapes, members).includes(shape.id)));
}

/** The frame a shape at ``box`` falls wholly into: the topmost one, else null. */
function containingFrame(box: Box, shapes: Shape[], except: string): Shape | null {
  for (let i = shapes.length - 1; i >= 0; i--) {
    const frame = shapes[i];
    if (isFrame(frame) && frame.id !== except && within(box, bounds(frame))) return frame;
  }
  return null;
}

/** Who a newly drawn frame takes in: every shape lying wholly inside it (other frames
 * excepted), from wherever it was. */
export function adoptedBy(frame: Shape, shapes: Shape[]): Changes {
  const box = bounds(frame);
  const changes: Changes = {};
  for (const shape of shapes) {
    if (!isFrame(shape) && shape.id !== frame.id && shape.frameId !== frame.id && within(bounds(shape), box)) changes[shape.id] = { frameId: frame.id };
  }
  return changes;
}

/** Membership once ``moved`` (ids) were dragged or resized, ``shapes`` being the board as it
 * now is: a shape dropped wholly inside a frame joins it (the topmost, if frames overlap); one
 * dropped wholly outside its frame leaves it; one still across its frame's edge stays, drawn
 * clipped. A shape whose frame moved with it keeps it. A resized frame takes in the shapes
 * that now lie wholly inside it and lets go of the members now wholly outside. */
export function membershipAfterMove(shapes: Shape[], moved: string[]): Changes {
  const movedIds = new Set(moved);
  const byId = new Map(shapes.map((shape) => [shape.id, shape]));
  const changes: Changes = {};
  for (const shape of shapes) {
    if (isFrame(shape)) continue;
    const frame = shape.frameId ? byId.get(shape.frameId) : undefined;
    const frameMoved = frame !== undefined && movedIds.has(frame.id);
    if (!movedIds.has(shape.id) && !frameMoved) continue;
    if (movedIds.has(shape.id) && frameMoved) continue; // moved together: nothing changed
    const box = bounds(shape);
    if (!movedIds.has(shape.id)) {
      // Its frame was resized around it.
      if (!overlaps(box, bounds(frame!))) changes[shape.id] = { frameId: undefined };
      continue;
    }
    const into = containingFrame(box, shapes, "");
    if (into && into.id !== shape.frameId) changes[shape.id] = { frameId: into.id };
    else if (!into && shape.frameId && (!frame || !overlaps(box, bounds(frame)))) changes[shape.id] = { frameId: undefined };
  }
  for (const id of moved) {
    const frame = byId.get(id);
    if (frame && isFrame(frame)) Object.assign(changes, adoptedBy(frame, shapes.filter((shape) => !shape.frameId)));
  }
  return changes;
}

/** ``changes`` (a move of the ``moved`` ids) together with the membership it leads to, as
 * one set of changes: for a move applied in one step (the arrow keys). */
export function movedWithMembership(shapes: Shape[], changes: Changes, moved: string[]): Changes {
  const after = shapes.map((shape) => (changes[shape.id] ? { ...shape, ...changes[shape.id] } : shape));
  const joins = membershipAfterMove(after, moved);
  const merged: Changes = { ...changes };
  for (const [id, change] of Object.entries(joins)) merged[id] = { ...merged[id], ...change };
  return merged;
}

/** The changes that let the members of removed frames go (they stay on the board). */
export function releasedFrom(shapes: Shape[], removed: string[]): Changes {
  const gone = new Set(removed);
  const changes: Changes = {};
  for (const shape of shapes) {
    if (!gone.has(shape.id) && shape.frameId && gone.has(shape.frameId)) changes[shape.id] = { frameId: undefined };
  }
  return changes;
}

/** ``copies`` (made from ``originals``, index for index) with ``frameId`` naming the copy of
 * a frame copied along; a shape copied without its frame stays in it. */
export function reframed(originals: Shape[], copies: Shape[]): Shape[] {
  const copyIds = new Map(originals.map((shape, index) => [shape.id, copies[index].id]));
  return copies.map((copy) => (copy.frameId && copyIds.has(copy.frameId) ? { ...copy, frameId: copyIds.get(copy.frameId) } : copy));
}

/** ``shapes`` without a ``frameId`` that names no frame in ``board`` (shapes pasted from
 * another board). */
export function withoutMissingFrames(shapes: Shape[], board: Shape[]): Shape[] {
  const frames = new Set([...board, ...shapes].filter(isFrame).map((shape) => shape.id));
  return shapes.map((shape) => {
    if (!shape.frameId || frames.has(shape.frameId)) return shape;
    const copy = { ...shape };
    delete copy.frameId;
    return copy;
  });
}

// Align and distribute: the changes that line a selection up on one of its edges or centres,
// or space it with equal gaps, as in Figma, Excalidraw and tldraw. The board applies them in
// one Yjs transaction, so the other person sees the whole selection move at once.

import { isFrame } from "./frames";
import { isLine } from "./geometry";
import type { Shape } from "./model";
import { movedAll, selectionBounds, type Box, type Changes } from "./selection";

export type Edge = "left" | "centre" | "right" | "top" | "middle" | "bottom";
export type Axis = "horizontal" | "vertical";
export type Arrangement = { kind: "align"; edge: Edge } | { kind: "distribute"; axis: Axis };

export const EDGES: Edge[] = ["left", "centre", "right", "top", "middle", "bottom"];
export const AXES: Axis[] = ["horizontal", "vertical"];

const EDGE_LABELS: Record<Edge, string> = { left: "Align left", centre: "Align centres", right: "Align right", top: "Align top", middle: "Align middles", bottom: "Align bottom" };

/** What an arrangement is called on its button and in announcements. */
export function arrangeLabel(arrangement: Arrangement): string {
  return arrangement.kind === "align" ? EDGE_LABELS[arrangement.edge] : `Distribute ${arrangement.axis}ly`;
}

/** How many units (shapes or groups) each arrangement needs to do anything. */
export function unitsNeeded(arrangement: Arrangement): number {
  return arrangement.kind === "align" ? 2 : 3;
}

/** The pieces that move as one: a group (shapes sharing a ``groupId``) or a single shape. A
 * line or arrow bound to a shape is left out: its bound end follows the shape by itself. */
export function unitsOf(shapes: Shape[]): Shape[][] {
  const groups = new Map<string, Shape[]>();
  const units: Shape[][] = [];
  for (const shape of shapes) {
    if (isLine(shape.type) && (shape.startBinding || shape.endBinding)) continue;
    const groupId = "groupId" in shape && typeof shape.groupId === "string" ? shape.groupId : null;
    if (groupId === null) {
      units.push([shape]);
      continue;
    }
    const group = groups.get(groupId);
    if (group) group.push(shape);
    else {
      const created = [shape];
      groups.set(groupId, created);
      units.push(created);
    }
  }
  return units;
}

/** The units of ``shapes`` that an arrangement places: a frame's members chosen with it are
 * not placed on their own, they go with their frame. */
export function unitsToArrange(shapes: Shape[]): Shape[][] {
  const frames = new Set(shapes.filter(isFrame).map((shape) => shape.id));
  return unitsOf(shapes.filter((shape) => !(shape.frameId && frames.has(shape.frameId))));
}

/** The changes that carry out ``arrangement`` on ``shapes`` (nothing with too few units). A
 * frame carries its unlocked members on ``board`` along, as a drag does. */
export function arranged(shapes: Shape[], arrangement: Arrangement, board: Shape[] = shapes): Changes {
  const units = unitsToArrange(shapes);
  if (units.length < unitsNeeded(arrangement)) return {};
  const changes = arrangement.kind === "align" ? aligned(units, arrangement.edge) : distributed(units, arrangement.axis);
  return { ...changes, ...membersCarried(changes, board) };
}

/** Each unlocked member of a frame that ``changes`` move, moved by its frame's offset. */
function membersCarried(changes: Changes, board: Shape[]): Changes {
  const frames = new Map(board.filter((shape) => isFrame(shape) && changes[shape.id]).map((frame) => [frame.id, frame]));
  const carried: Changes = {};
  for (const shape of board) {
    const frame = shape.frameId ? frames.get(shape.frameId) : undefined;
    if (!frame || shape.locked || changes[shape.id]) continue;
    const to = changes[frame.id];
    Object.assign(carried, movedAll([shape], (to.x ?? frame.x) - frame.x, (to.y ?? frame.y) - frame.y));
  }
  return carried;
}

interface Placed {
  unit: Shape[];
  box: Box;
}

function placed(units: Shape[][]): Placed[] {
  return units.map((unit) => ({ unit, box: selectionBounds(unit)! }));
}

/** Each unit moved by its own offset, merged into one set of changes; a shape that stays
 * where it is (on whole board units) has none. */
function movedBy(moves: { unit: Shape[]; dx: number; dy: number }[]): Changes {
  const changes: Changes = {};
  for (const { unit, dx, dy } of moves) {
    const all = movedAll(unit, dx, dy);
    for (const shape of unit) if (all[shape.id].x !== shape.x || all[shape.id].y !== shape.y) changes[shape.id] = all[shape.id];
  }
  return changes;
}

/** Units lined up on an edge or centre of the box around them all (where it already is). */
export function aligned(units: Shape[][], edge: Edge): Changes {
  const items = placed(units);
  const all = selectionBounds(units.flat())!;
  return movedBy(
    items.map(({ unit, box }) => {
      switch (edge) {
        case "left":
          return { unit, dx: all.x - box.x, dy: 0 };
        case "centre":
          return { unit, dx: all.x + all.w / 2 - (box.x + box.w / 2), dy: 0 };
        case "right":
          return { unit, dx: all.x + all.w - (box.x + box.w), dy: 0 };
        case "top":
          return { unit, dx: 0, dy: all.y - box.y };
        case "middle":
          return { unit, dx: 0, dy: all.y + all.h / 2 - (box.y + box.h / 2) };
        case "bottom":
          return { unit, dx: 0, dy: all.y + all.h - (box.y + box.h) };
      }
    }),
  );
}

/** Units spaced with equal gaps across the box around them all, in the order of their
 * centres; the outermost stay where they are. When they are too wide for gaps (they would
 * overlap), their centres are spaced evenly instead, as Excalidraw does. */
export function distributed(units: Shape[][], axis: Axis): Changes {
  const along = axis === "horizontal" ? { start: "x", size: "w" } as const : { start: "y", size: "h" } as const;
  const items = placed(units).sort((a, b) => a.box[along.start] + a.box[along.size] / 2 - (b.box[along.start] + b.box[along.size] / 2));
  const all = selectionBounds(units.flat())!;
  const total = items.reduce((sum, { box }) => sum + box[along.size], 0);
  const gap = (all[along.size] - total) / (items.length - 1);
  const shift = (unit: Shape[], by: number) => (axis === "horizontal" ? { unit, dx: by, dy: 0 } : { unit, dx: 0, dy: by });
  if (gap < 0) {
    const centre = ({ box }: Placed) => box[along.start] + box[along.size] / 2;
    const first = centre(items[0]);
    const step = (centre(items[items.length - 1]) - first) / (items.length - 1);
    return movedBy(items.map((item, index) => shift(item.unit, first + index * step - centre(item))));
  }
  let at = all[along.start];
  return movedBy(
    items.map(({ unit, box }) => {
      const move = shift(unit, at - box[along.start]);
      at += box[along.size] + gap;
      return move;
    }),
  );
}

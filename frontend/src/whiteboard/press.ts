// What pressing a pointer button on the whiteboard starts. The middle button and a read-only
// board pan; the select tool selects (shift adds or removes; a grouped shape brings its whole
// group), moves, resizes, rotates or draws a marquee on empty canvas; the primary button with a
// drawing tool draws.

import type { ShapeType } from "./model";
import { united } from "./selection";
import type { Tool } from "./tools";

export interface PressContext {
  button: number;
  tool: Tool;
  canWrite: boolean;
  selected: string[];
  shift: boolean;
  onHandle: boolean; // the press hit the selection's resize handle
  shapeId: string | null; // the shape under the pointer
  onRotate?: boolean; // the press hit the selection's rotation handle
  group?: string[]; // the pressed shape's group (absent: the shape alone)
}

export type Press =
  | { kind: "ignore" }
  | { kind: "resize" }
  | { kind: "rotate" }
  | { kind: "select"; ids: string[]; move: boolean }
  | { kind: "marquee"; keep: string[] } // keep: the selection the marquee adds to
  | { kind: "pan"; deselect: boolean }
  | { kind: "draw"; type: ShapeType };

export function pressAction({ button, tool, canWrite, selected, shift, onHandle, shapeId, onRotate, group }: PressContext): Press {
  if (button !== 0 && button !== 1) return { kind: "ignore" };
  if (button === 0 && tool !== "select" && canWrite) return { kind: "draw", type: tool };
  if (canWrite && onRotate && selected.length > 0) return { kind: "rotate" };
  if (canWrite && onHandle && selected.length > 0) return { kind: "resize" };
  if (button === 0 && shapeId) {
    const members = group ?? [shapeId];
    if (shift) {
      const ids = selected.includes(shapeId) ? selected.filter((id) => !members.includes(id)) : united(selected, members);
      return { kind: "select", ids, move: canWrite && ids.includes(shapeId) };
    }
    // Pressing a shape of the selection moves the whole selection.
    return { kind: "select", ids: selected.includes(shapeId) ? selected : members, move: canWrite };
  }
  if (button === 0 && canWrite) return { kind: "marquee", keep: shift ? selected : [] };
  return { kind: "pan", deselect: button === 0 };
}

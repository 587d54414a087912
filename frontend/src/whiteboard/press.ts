// What pressing a pointer button on the whiteboard starts. The middle button, the select
// tool and a read-only board all select and pan; the primary button with a drawing tool
// draws.

import type { ShapeType } from "./model";
import type { Tool } from "./tools";

export interface PressContext {
  button: number;
  tool: Tool;
  canWrite: boolean;
  selected: string | null;
  onHandle: boolean; // the press hit the selection's resize handle
  shapeId: string | null; // the shape under the pointer
}

export type Press =
  | { kind: "ignore" }
  | { kind: "resize"; id: string }
  | { kind: "select"; id: string; move: boolean }
  | { kind: "pan"; deselect: boolean }
  | { kind: "draw"; type: ShapeType };

export function pressAction({ button, tool, canWrite, selected, onHandle, shapeId }: PressContext): Press {
  if (button !== 0 && button !== 1) return { kind: "ignore" };
  if (button === 0 && tool !== "select" && canWrite) return { kind: "draw", type: tool };
  if (canWrite && onHandle && selected) return { kind: "resize", id: selected };
  if (button === 0 && shapeId) return { kind: "select", id: shapeId, move: canWrite };
  return { kind: "pan", deselect: button === 0 };
}

// What a key pressed on the whiteboard canvas asks for; the board decides whether it can
// (a viewer cannot undo or pick a drawing tool, Delete needs a selection). Copy, cut and paste
// are left to the browser, whose clipboard events the board handles.

import type { Arrangement, Edge } from "./arrange";
import { TOOLS, type Tool } from "./tools";

export type KeyCommand =
  | { kind: "undo" }
  | { kind: "redo" }
  | { kind: "delete" }
  | { kind: "deselect" }
  | { kind: "selectAll" }
  | { kind: "duplicate" }
  | { kind: "restack"; direction: "forward" | "back" }
  | { kind: "group" }
  | { kind: "ungroup" }
  | { kind: "lock" } // locks the selection, or unlocks it when it is all locked
  | { kind: "unlockAll" }
  | { kind: "nudge"; dx: number; dy: number } // moves the selection, or pans without one
  | { kind: "tool"; tool: Tool }
  | { kind: "zoom"; direction: "in" | "out" }
  | { kind: "zoomToFit"; target: "all" | "selection" }
  | { kind: "arrange"; arrangement: Arrangement }
  | { kind: "grid" }; // turns the grid on or off

export type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey"> & Partial<Pick<KeyboardEvent, "code" | "altKey">>;

// Alt (Option) with a key, as in Figma and tldraw; by the key's place, since Option types
// other characters on a Mac.
const ALIGN_KEYS: Record<string, Edge> = { KeyA: "left", KeyH: "centre", KeyD: "right", KeyW: "top", KeyV: "middle", KeyS: "bottom" };
const DISTRIBUTE_KEYS: Record<string, Arrangement> = {
  KeyH: { kind: "distribute", axis: "horizontal" },
  KeyV: { kind: "distribute", axis: "vertical" },
};

function arrangeKey(event: KeyPress): KeyCommand | null {
  const code = event.code ?? "";
  if (event.shiftKey) return code in DISTRIBUTE_KEYS ? { kind: "arrange", arrangement: DISTRIBUTE_KEYS[code] } : null;
  return code in ALIGN_KEYS ? { kind: "arrange", arrangement: { kind: "align", edge: ALIGN_KEYS[code] } } : null;
}

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export function keyCommand(event: KeyPress): KeyCommand | null {
  const key = event.key.toLowerCase();
  if (event.ctrlKey || event.metaKey) {
    if (key === "z") return { kind: event.shiftKey ? "redo" : "undo" };
    if (key === "y") return { kind: "redo" };
    if (key === "a") return { kind: "selectAll" };
    if (key === "d") return { kind: "duplicate" };
    if (key === "g") return { kind: event.shiftKey ? "ungroup" : "group" };
    if (key === "l" && event.shiftKey) return { kind: "lock" };
    if (event.key === "]") return { kind: "restack", direction: "forward" };
    if (event.key === "[") return { kind: "restack", direction: "back" };
    if (event.key === "'") return { kind: "grid" };
    return null; // the browser's own shortcuts (copy, reload, ...)
  }
  const arrange = event.altKey ? arrangeKey(event) : null;
  if (arrange) return arrange;
  // Shift+1 and Shift+2 as in Excalidraw, by the key's place (Shift+1 types "!" or "§").
  if (event.shiftKey && event.code === "Digit1") return { kind: "zoomToFit", target: "all" };
  if (event.shiftKey && event.code === "Digit2") return { kind: "zoomToFit", target: "selection" };
  if (event.key === "Delete" || event.key === "Backspace") return { kind: "delete" };
  if (event.key === "Escape") return { kind: "deselect" };
  const arrow = ARROWS[event.key];
  if (arrow) {
    const step = event.shiftKey ? 10 : 1; // Shift for big steps, as in Excalidraw and tldraw
    return { kind: "nudge", dx: arrow[0] * step, dy: arrow[1] * step };
  }
  const chosen = TOOLS.find((tool) => tool.key === key);
  if (chosen) return { kind: "tool", tool: chosen.tool };
  if (event.key === "+" || event.key === "=") return { kind: "zoom", direction: "in" };
  if (event.key === "-") return { kind: "zoom", direction: "out" };
  return null;
}

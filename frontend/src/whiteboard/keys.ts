// What a key pressed on the whiteboard canvas asks for, read from the shortcut table
// (shortcuts.ts); the board decides whether it can (a viewer cannot undo or pick a drawing
// tool, Delete needs a selection). Copy, cut and paste are left to the browser, whose clipboard
// events the board handles.

import type { Arrangement } from "./arrange";
import { SHORTCUTS } from "./shortcuts";
import type { Tool } from "./tools";

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
  | { kind: "zoomReset" }
  | { kind: "zoomToFit"; target: "all" | "selection" }
  | { kind: "arrange"; arrangement: Arrangement }
  | { kind: "grid" } // turns the grid on or off
  | { kind: "editText" } // the selected shape's text or label
  | { kind: "minimap" } // shows or hides it
  | { kind: "export" } // opens the Export menu
  | { kind: "help" }; // opens the shortcut list

export type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey"> & Partial<Pick<KeyboardEvent, "code" | "altKey">>;

export function keyCommand(event: KeyPress): KeyCommand | null {
  for (const shortcut of SHORTCUTS) if (shortcut.command && shortcut.matches(event)) return shortcut.command;
  return null; // the browser's own shortcuts (copy, reload, ...)
}

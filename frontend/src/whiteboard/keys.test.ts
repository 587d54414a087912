import { describe, expect, it } from "vitest";
import { keyCommand, type KeyPress } from "./keys";

function press(key: string, modifiers: Partial<Omit<KeyPress, "key">> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, ...modifiers };
}

describe("keyCommand", () => {
  it("undoes with Ctrl+Z or Cmd+Z and redoes with Shift or Y", () => {
    expect(keyCommand(press("z", { ctrlKey: true }))).toEqual({ kind: "undo" });
    expect(keyCommand(press("z", { metaKey: true }))).toEqual({ kind: "undo" });
    expect(keyCommand(press("Z", { metaKey: true, shiftKey: true }))).toEqual({ kind: "redo" });
    expect(keyCommand(press("y", { ctrlKey: true }))).toEqual({ kind: "redo" });
  });

  it("leaves other shortcuts to the browser instead of reading them as tool keys", () => {
    expect(keyCommand(press("r", { ctrlKey: true }))).toBeNull();
    expect(keyCommand(press("-", { metaKey: true }))).toBeNull();
  });

  it("deletes with Delete or Backspace and deselects with Escape", () => {
    expect(keyCommand(press("Delete"))).toEqual({ kind: "delete" });
    expect(keyCommand(press("Backspace"))).toEqual({ kind: "delete" });
    expect(keyCommand(press("Escape"))).toEqual({ kind: "deselect" });
  });

  it("nudges by 1 with the arrows and by 10 with Shift held", () => {
    expect(keyCommand(press("ArrowLeft"))).toEqual({ kind: "nudge", dx: -1, dy: 0 });
    expect(keyCommand(press("ArrowDown"))).toEqual({ kind: "nudge", dx: 0, dy: 1 });
    expect(keyCommand(press("ArrowUp", { shiftKey: true }))).toEqual({ kind: "nudge", dx: 0, dy: -10 });
    expect(keyCommand(press("ArrowRight", { shiftKey: true }))).toEqual({ kind: "nudge", dx: 10, dy: 0 });
  });

  it("selects all, duplicates and restacks with Ctrl or Cmd", () => {
    expect(keyCommand(press("a", { ctrlKey: true }))).toEqual({ kind: "selectAll" });
    expect(keyCommand(press("d", { metaKey: true }))).toEqual({ kind: "duplicate" });
    expect(keyCommand(press("]", { ctrlKey: true }))).toEqual({ kind: "restack", direction: "forward" });
    expect(keyCommand(press("[", { ctrlKey: true }))).toEqual({ kind: "restack", direction: "back" });
  });

  it("zooms to fit the board with Shift+1 and the selection with Shift+2, whatever the layout types", () => {
    expect(keyCommand(press("!", { shiftKey: true, code: "Digit1" }))).toEqual({ kind: "zoomToFit", target: "all" });
    expect(keyCommand(press("\"", { shiftKey: true, code: "Digit2" }))).toEqual({ kind: "zoomToFit", target: "selection" });
    expect(keyCommand(press("1", { code: "Digit1" }))).toBeNull();
  });

  it("leaves copy, cut and paste to the browser's clipboard events", () => {
    for (const key of ["c", "x", "v"]) expect(keyCommand(press(key, { ctrlKey: true }))).toBeNull();
  });

  it("picks tools by letter, with or without Shift", () => {
    expect(keyCommand(press("v"))).toEqual({ kind: "tool", tool: "select" });
    expect(keyCommand(press("o"))).toEqual({ kind: "tool", tool: "ellipse" });
    expect(keyCommand(press("S", { shiftKey: true }))).toEqual({ kind: "tool", tool: "sticky" });
  });

  it("zooms with + or = and -", () => {
    expect(keyCommand(press("+", { shiftKey: true }))).toEqual({ kind: "zoom", direction: "in" });
    expect(keyCommand(press("="))).toEqual({ kind: "zoom", direction: "in" });
    expect(keyCommand(press("-"))).toEqual({ kind: "zoom", direction: "out" });
  });

  it("ignores keys with no meaning on the board", () => {
    expect(keyCommand(press("q"))).toBeNull();
  });

  it("edits the selected shape's text with Enter", () => {
    expect(keyCommand(press("Enter"))).toEqual({ kind: "editText" });
  });
});

describe("keyCommand's newer shortcuts", () => {
  it("resets the zoom with Shift+0, toggles the minimap with M, opens export and help", () => {
    expect(keyCommand(press(")", { shiftKey: true, code: "Digit0" }))).toEqual({ kind: "zoomReset" });
    expect(keyCommand(press("m"))).toEqual({ kind: "minimap" });
    expect(keyCommand(press("E", { ctrlKey: true, shiftKey: true }))).toEqual({ kind: "export" });
    expect(keyCommand(press("?", { shiftKey: true, code: "Slash" }))).toEqual({ kind: "help" });
  });
});

describe("group and lock keys", () => {
  it("groups with Ctrl/Cmd+G, ungroups with Shift, and locks with Ctrl/Cmd+Shift+L", () => {
    expect(keyCommand(press("g", { ctrlKey: true }))).toEqual({ kind: "group" });
    expect(keyCommand(press("G", { metaKey: true, shiftKey: true }))).toEqual({ kind: "ungroup" });
    expect(keyCommand(press("L", { ctrlKey: true, shiftKey: true }))).toEqual({ kind: "lock" });
    expect(keyCommand(press("l", { ctrlKey: true }))).toBeNull(); // the browser's address bar
  });

  it("unlocks every shape with Ctrl/Cmd+Alt+Shift+L", () => {
    expect(keyCommand(press("L", { ctrlKey: true, shiftKey: true, altKey: true, code: "KeyL" }))).toEqual({ kind: "unlockAll" });
    expect(keyCommand(press("L", { metaKey: true, shiftKey: true, altKey: true, code: "KeyL" }))).toEqual({ kind: "unlockAll" });
  });
});

describe("arrange and grid keys", () => {
  it("aligns with Alt and a letter and distributes with Alt+Shift, by the key's place", () => {
    const alt = (code: string, key: string, shiftKey = false) => keyCommand(press(key, { altKey: true, code, shiftKey }));
    expect(alt("KeyA", "a")).toEqual({ kind: "arrange", arrangement: { kind: "align", edge: "left" } });
    // Option+D on a Mac types "∂".
    expect(alt("KeyD", "∂")).toEqual({ kind: "arrange", arrangement: { kind: "align", edge: "right" } });
    expect(alt("KeyH", "h")).toEqual({ kind: "arrange", arrangement: { kind: "align", edge: "centre" } });
    expect(alt("KeyW", "w")).toEqual({ kind: "arrange", arrangement: { kind: "align", edge: "top" } });
    expect(alt("KeyV", "v")).toEqual({ kind: "arrange", arrangement: { kind: "align", edge: "middle" } });
    expect(alt("KeyS", "s")).toEqual({ kind: "arrange", arrangement: { kind: "align", edge: "bottom" } });
    expect(alt("KeyH", "H", true)).toEqual({ kind: "arrange", arrangement: { kind: "distribute", axis: "horizontal" } });
    expect(alt("KeyV", "V", true)).toEqual({ kind: "arrange", arrangement: { kind: "distribute", axis: "vertical" } });
  });

  it("keeps Alt with the arrows nudging, and plain letters picking tools", () => {
    expect(keyCommand(press("ArrowLeft", { altKey: true, code: "ArrowLeft" }))).toEqual({ kind: "nudge", dx: -1, dy: 0 });
    expect(keyCommand(press("a", { code: "KeyA" }))).toEqual({ kind: "tool", tool: "arrow" });
    expect(keyCommand(press("r", { altKey: true, code: "KeyR" }))).toBeNull(); // Alt never picks a tool
  });

  it("turns the grid on and off with Ctrl+' or Cmd+'", () => {
    expect(keyCommand(press("'", { ctrlKey: true }))).toEqual({ kind: "grid" });
    expect(keyCommand(press("'", { metaKey: true }))).toEqual({ kind: "grid" });
  });
});

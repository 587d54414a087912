// The interaction machine with frames and images: what a gesture on them writes.

import { describe, expect, it } from "vitest";
import { transition } from "./machine";
import { changesOf, down, idle, move, sceneOf, shape } from "./machine-testing";
import type { Shape } from "./model";

describe("frames in the machine", () => {
  it("a frame drawn around two shapes is titled and takes them in", () => {
    const board = [shape("a", { x: 20, y: 20 }), shape("b", { x: 60, y: 40 }), shape("outside", { x: 400, y: 0 })];
    const scene = sceneOf(board, { tool: "frame" });
    const pressed = transition(idle, down(0, 0), scene);
    const [add] = pressed.commands as [{ kind: "add"; shapes: Shape[] }];
    expect(add.shapes[0]).toMatchObject({ id: "new1", type: "frame", text: "Frame 1" });
    const drawn = transition(pressed.state, move(200, 120), scene);
    const released = transition(drawn.state, { type: "up" }, sceneOf([...board, { ...add.shapes[0], w: 200, h: 120 }]));
    expect(changesOf(released.commands)).toEqual([{ a: { frameId: "new1" }, b: { frameId: "new1" } }]);
    expect(released.commands).toContainEqual({ kind: "select", ids: ["new1"] });
  });

  it("dragging a frame moves its shapes in the same step", () => {
    const board = [shape("f", { type: "frame", w: 200, h: 100 }), shape("a", { x: 20, y: 20, frameId: "f" }), shape("free", { x: 400 })];
    const scene = sceneOf(board);
    const pressed = transition(idle, down(0, 50, { shapeId: "f" }), scene);
    const moved = transition(pressed.state, move(30, 60), scene);
    expect(moved.commands).toEqual([{ kind: "change", changes: { f: { x: 30, y: 10 }, a: { x: 50, y: 30 } } }]);
  });

  it("a shape aligned into a frame joins it, and one aligned out of its frame leaves it", () => {
    const board = [
      shape("f", { type: "frame", w: 200, h: 100 }),
      shape("in", { x: 20, y: 20, frameId: "f" }),
      shape("out", { x: 20, y: 300 }),
      shape("leaving", { x: 400, y: 50, frameId: "f" }),
    ];
    const arrange = (selected: string[], edge: "top" | "right") =>
      changesOf(transition(idle, { type: "key", command: { kind: "arrange", arrangement: { kind: "align", edge } } }, sceneOf(board, { selected })).commands);
    expect(arrange(["in", "out"], "top")).toEqual([{ out: { x: 20, y: 20, frameId: "f" } }]);
    expect(arrange(["in", "leaving"], "right")).toEqual([{ in: { x: 400, y: 20, frameId: undefined } }]);
  });

  it("a shape dropped into a frame joins it when the pointer is released", () => {
    const before = [shape("f", { type: "frame", w: 200, h: 100 }), shape("a", { x: 300, y: 20 })];
    const pressed = transition(idle, down(305, 25, { shapeId: "a" }), sceneOf(before));
    const dragged = transition(pressed.state, move(55, 25), sceneOf(before));
    const after = [before[0], shape("a", { x: 50, y: 20 })];
    expect(transition(dragged.state, { type: "up" }, sceneOf(after)).commands).toEqual([{ kind: "change", changes: { a: { frameId: "f" } } }]);
  });

  it("a shape nudged wholly out of its frame leaves it in the same step", () => {
    const board = [shape("f", { type: "frame", w: 200, h: 100 }), shape("a", { x: 195, y: 20, frameId: "f" })];
    const nudged = transition(idle, { type: "key", command: { kind: "nudge", dx: 10, dy: 0 } }, sceneOf(board, { selected: ["a"] }));
    expect(nudged.commands).toStrictEqual([{ kind: "change", changes: { a: { x: 205, y: 20, frameId: undefined } } }]);
    const framed = transition(idle, { type: "key", command: { kind: "nudge", dx: 10, dy: 0 } }, sceneOf(board, { selected: ["f"] }));
    expect(framed.commands).toEqual([{ kind: "change", changes: { f: { x: 10, y: 0 }, a: { x: 205, y: 20 } } }]);
  });

  it("deleting a frame keeps its shapes and clears their frame", () => {
    const board = [shape("f", { type: "frame", w: 200, h: 100 }), shape("a", { x: 20, y: 20, frameId: "f" })];
    const deleted = transition(idle, { type: "key", command: { kind: "delete" } }, sceneOf(board, { selected: ["f"] }));
    expect(deleted.commands.slice(0, 2)).toStrictEqual([
      { kind: "change", changes: { a: { frameId: undefined } } },
      { kind: "remove", ids: ["f"] },
    ]);
  });

  it("duplicating a frame copies its shapes into the copy", () => {
    const board = [shape("f", { type: "frame", w: 200, h: 100, z: 1 }), shape("a", { x: 20, y: 20, frameId: "f", z: 2 })];
    const duplicated = transition(idle, { type: "key", command: { kind: "duplicate" } }, sceneOf(board, { selected: ["f"] }));
    const [add] = duplicated.commands as [{ kind: "add"; shapes: Shape[] }];
    expect(add.shapes.map(({ id, type, frameId }) => ({ id, type, frameId }))).toEqual([
      { id: "new1", type: "frame", frameId: undefined },
      { id: "new2", type: "rect", frameId: "new1" },
    ]);
  });

  it("double-clicking a frame renames it", () => {
    const board = [shape("f", { type: "frame", w: 200, h: 100, text: "Frame 1" })];
    const editing = transition(idle, { type: "edit", shapeId: "f" }, sceneOf(board));
    expect(editing.commands).toEqual([{ kind: "editText", id: "f", type: "frame", text: "Frame 1" }]);
    const typed = transition(editing.state, { type: "textInput", text: "Sprint 12" }, sceneOf(board));
    expect(typed).toEqual({ state: editing.state, commands: [{ kind: "change", changes: { f: { text: "Sprint 12" } } }] });
    const renamed = [{ ...board[0], text: "Sprint 12" }];
    expect(transition(typed.state, { type: "textDone" }, sceneOf(renamed))).toEqual({ state: idle, commands: [] });
  });
});

describe("images in the machine", () => {
  const picture = shape("i", { type: "image", w: 200, h: 100, imageId: "img", alt: "" });

  it("resizing an image keeps its aspect ratio; with Shift it does not", () => {
    const scene = sceneOf([picture], { selected: ["i"] });
    const pressed = transition(idle, down(200, 100, { onHandle: true }), scene);
    expect(transition(pressed.state, move(300, 110), scene).commands).toEqual([{ kind: "change", changes: { i: { x: 0, y: 0, w: 300, h: 150 } } }]);
    expect(transition(pressed.state, move(300, 110, true), scene).commands).toEqual([{ kind: "change", changes: { i: { x: 0, y: 0, w: 300, h: 110 } } }]);
  });

  it("double-clicking an image edits its alt text", () => {
    const editing = transition(idle, { type: "edit", shapeId: "i" }, sceneOf([picture]));
    expect(editing.commands).toEqual([{ kind: "editText", id: "i", type: "image", text: "" }]);
    // Written as typed (a space at its end is where the next word goes), trimmed at the end.
    expect(transition(editing.state, { type: "textInput", text: " Sales by " }, sceneOf([picture])).commands).toEqual([{ kind: "change", changes: { i: { alt: " Sales by " } } }]);
    const described = { ...picture, alt: " Sales by month " };
    expect(transition(editing.state, { type: "textDone" }, sceneOf([described]))).toEqual({ state: idle, commands: [{ kind: "change", changes: { i: { alt: "Sales by month" } } }] });
    expect(transition(editing.state, { type: "textDone" }, sceneOf([picture]))).toEqual({ state: idle, commands: [] });
  });
});

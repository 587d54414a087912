import { describe, expect, it } from "vitest";
import { transition, type Event, type Scene, type State } from "./machine";
import type { Shape } from "./model";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 10, h: 10, color: "#000000", text: "", points: [], z: 1, ...changes };
}

function sceneOf(board: Shape[], changes: Partial<Scene> = {}): Scene {
  let next = 0;
  return {
    tool: "select",
    canWrite: true,
    selected: [],
    pan: { x: 0, y: 0 },
    style: { color: "#e03131", strokeWidth: 4, dash: "dashed", fill: "", opacity: 0.5 },
    connectorStyle: {},
    shapes: () => board,
    newId: () => `new${++next}`,
    now: () => 1000,
    fitHeight: (_shape, text) => 20 * text.split("\n").length,
    ...changes,
  };
}

const idle: State = { kind: "idle" };
const down = (x: number, y: number, changes: Partial<Extract<Event, { type: "down" }>> = {}): Event => ({
  type: "down",
  button: 0,
  shift: false,
  point: { x, y },
  client: { x, y },
  shapeId: null,
  onHandle: false,
  ...changes,
});
const move = (x: number, y: number): Event => ({ type: "move", point: { x, y }, client: { x, y } });

const board = [shape("a", { x: 0, y: 0 }), shape("b", { x: 50, y: 0 }), shape("c", { x: 100, y: 0 }), shape("far", { x: 500, y: 500 })];

describe("transition", () => {
  it("moves a whole selection together, each step one change of every shape", () => {
    const scene = sceneOf(board, { selected: ["a", "b", "c"] });
    const pressed = transition(idle, down(5, 5, { shapeId: "b" }), scene);
    expect(pressed.state.kind).toBe("pointing");
    expect(pressed.commands).toEqual([{ kind: "select", ids: ["a", "b", "c"] }]);
    const moved = transition(pressed.state, move(25, 35), scene);
    expect(moved.state.kind).toBe("dragging");
    expect(moved.commands).toEqual([{ kind: "change", changes: { a: { x: 20, y: 30 }, b: { x: 70, y: 30 }, c: { x: 120, y: 30 } } }]);
    expect(transition(moved.state, { type: "up" }, scene)).toEqual({ state: idle, commands: [] });
  });

  it("selects just the clicked shape of a larger selection when the press did not move", () => {
    const scene = sceneOf(board, { selected: ["a", "b"] });
    const pressed = transition(idle, down(5, 5, { shapeId: "a" }), scene);
    expect(transition(pressed.state, { type: "up" }, scene).commands).toEqual([{ kind: "select", ids: ["a"] }]);
  });

  it("adds shapes with shift-click", () => {
    const scene = sceneOf(board, { selected: ["a"] });
    const step = transition(idle, down(55, 5, { shapeId: "b", shift: true }), scene);
    expect(step.commands).toEqual([{ kind: "select", ids: ["a", "b"] }]);
    expect(step.state.kind).toBe("dragging");
  });

  it("selects what a marquee wholly holds and hides it on release", () => {
    const scene = sceneOf(board);
    const pressed = transition(idle, down(-5, -5), scene);
    expect(pressed.state.kind).toBe("marquee");
    const dragged = transition(pressed.state, move(70, 20), scene);
    expect(dragged.commands).toEqual([
      { kind: "marquee", box: { x: -5, y: -5, w: 75, h: 25 } },
      { kind: "select", ids: ["a", "b"] },
    ]);
    expect(transition(dragged.state, { type: "up" }, scene)).toEqual({ state: idle, commands: [{ kind: "marquee", box: null }] });
  });

  it("resizes the selection from its handle, scaling each shape in the box", () => {
    const scene = sceneOf(board, { selected: ["a", "b"] });
    const pressed = transition(idle, down(60, 10, { onHandle: true }), scene);
    expect(pressed.state.kind).toBe("resizing");
    const step = transition(pressed.state, move(120, 20), scene);
    expect(step.commands).toEqual([{ kind: "change", changes: { a: { x: 0, y: 0, w: 20, h: 20 }, b: { x: 100, y: 0, w: 20, h: 20 } } }]);
  });

  it("draws a shape in the chosen style, then selects it and returns to the select tool", () => {
    const scene = sceneOf([], { tool: "ellipse" });
    const pressed = transition(idle, down(10, 10), scene);
    const style = { color: "#e03131", strokeWidth: 4, dash: "dashed", fill: "", opacity: 0.5 } as const;
    expect(pressed.commands).toEqual([{ kind: "add", shapes: [shape("new1", { type: "ellipse", x: 10, y: 10, w: 0, h: 0, z: 1000, ...style })] }]);
    const dragged = transition(pressed.state, move(60, 40), scene);
    expect(dragged.commands).toEqual([{ kind: "change", changes: { new1: { w: 50, h: 30 } } }]);
    const released = transition(dragged.state, { type: "up" }, scene);
    expect(released.state).toEqual(idle);
    expect(released.commands).toContainEqual({ kind: "select", ids: ["new1"] });
    expect(released.commands).toContainEqual({ kind: "tool", tool: "select" });
  });

  it("edits a new sticky note's text and grows the note to fit it", () => {
    const scene = sceneOf([], { tool: "sticky" });
    const pressed = transition(idle, down(0, 0), scene);
    const released = transition(pressed.state, { type: "up" }, scene);
    expect(released.state).toEqual({ kind: "editing", id: "new1", isNew: true });
    expect(released.commands).toContainEqual({ kind: "change", changes: { new1: { w: 180, h: 140 } } });
    const note = shape("new1", { type: "sticky", w: 180, h: 140 });
    const done = transition(released.state, { type: "textDone", text: "1\n2\n3\n4\n5\n6\n7\n8" }, sceneOf([note]));
    expect(done.state).toEqual(idle);
    expect(done.commands[0]).toEqual({ kind: "change", changes: { new1: { text: "1\n2\n3\n4\n5\n6\n7\n8", h: 160 } } });
  });

  it("drops a new text shape whose dialog was cancelled", () => {
    const text = shape("t", { type: "text" });
    const done = transition({ kind: "editing", id: "t", isNew: true }, { type: "textDone", text: null }, sceneOf([text]));
    expect(done.commands).toEqual([{ kind: "remove", ids: ["t"] }, { kind: "select", ids: [] }]);
  });

  it("selects all, deletes the selection and nudges it", () => {
    const scene = sceneOf(board, { selected: ["a", "c"] });
    expect(transition(idle, { type: "key", command: { kind: "selectAll" } }, scene).commands).toEqual([{ kind: "select", ids: ["a", "b", "c", "far"] }]);
    expect(transition(idle, { type: "key", command: { kind: "delete" } }, scene).commands.slice(0, 2)).toEqual([
      { kind: "remove", ids: ["a", "c"] },
      { kind: "select", ids: [] },
    ]);
    expect(transition(idle, { type: "key", command: { kind: "nudge", dx: 10, dy: 0 } }, scene).commands).toEqual([
      { kind: "change", changes: { a: { x: 10, y: 0 }, c: { x: 110, y: 0 } } },
    ]);
  });

  it("duplicates and pastes as new shapes, offset and on top, and selects them", () => {
    const scene = sceneOf([shape("a", { z: 5 })], { selected: ["a"] });
    const copy = { ...shape("new1", { x: 20, y: 20, z: 6 }) };
    expect(transition(idle, { type: "key", command: { kind: "duplicate" } }, scene).commands).toEqual([
      { kind: "add", shapes: [copy] },
      { kind: "select", ids: ["new1"] },
    ]);
    const pasted = transition(idle, { type: "paste", shapes: [shape("from-another-board", { x: 100 })] }, sceneOf([shape("a", { z: 5 })]));
    expect(pasted.commands.slice(0, 2)).toEqual([
      { kind: "add", shapes: [shape("new1", { x: 120, y: 20, z: 6 })] },
      { kind: "select", ids: ["new1"] },
    ]);
  });

  it("lets a viewer neither delete, nudge, duplicate nor paste", () => {
    const scene = sceneOf(board, { canWrite: false, selected: ["a"] });
    expect(transition(idle, { type: "key", command: { kind: "delete" } }, scene).commands).toEqual([]);
    expect(transition(idle, { type: "key", command: { kind: "duplicate" } }, scene).commands).toEqual([]);
    expect(transition(idle, { type: "paste", shapes: [shape("x")] }, scene).commands).toEqual([]);
    expect(transition(idle, { type: "key", command: { kind: "nudge", dx: 1, dy: 0 } }, scene).commands).toEqual([{ kind: "pan", pan: { x: -40, y: 0 } }]);
  });

  it("ignores a second press while a drag is under way", () => {
    const dragging: State = { kind: "dragging", from: { x: 0, y: 0 }, starts: [] };
    expect(transition(dragging, down(5, 5, { shapeId: "a" }), sceneOf(board))).toEqual({ state: dragging, commands: [] });
  });
});

describe("connectors", () => {
  const boxes = [shape("from", { x: 0, y: 0, w: 100, h: 100 }), shape("to", { x: 300, y: 0, w: 100, h: 100, z: 2 })];

  it("binds an arrow drawn from one shape to another at both ends, and frees an end that leaves", () => {
    const scene = sceneOf(boxes, { tool: "arrow" });
    const pressed = transition(idle, down(50, 50, { shapeId: "from" }), scene);
    expect(pressed.commands[0]).toMatchObject({ kind: "add", shapes: [{ type: "arrow", startBinding: { shapeId: "from", anchor: { x: 0.5, y: 0.5 } } }] });
    const over = transition(pressed.state, move(325, 75), scene);
    expect(over.commands).toEqual([{ kind: "change", changes: { new1: { w: 275, h: 25, endBinding: { shapeId: "to", anchor: { x: 0.25, y: 0.75 } } } } }]);
    const away = transition(over.state, move(200, 200), scene);
    expect(away.commands).toEqual([{ kind: "change", changes: { new1: { w: 150, h: 150, endBinding: null } } }]);
    expect(transition(away.state, { type: "up" }, scene).state).toEqual(idle);
  });

  it("stores no binding for a line drawn on empty canvas", () => {
    const scene = sceneOf(boxes, { tool: "line" });
    const pressed = transition(idle, down(500, 500), scene);
    expect(pressed.commands[0]).toMatchObject({ kind: "add" });
    expect(Object.keys((pressed.commands[0] as { shapes: Shape[] }).shapes[0])).not.toContain("route");
    expect("startBinding" in (pressed.commands[0] as { shapes: Shape[] }).shapes[0]).toBe(false);
    expect(transition(pressed.state, move(600, 600), scene).commands).toEqual([{ kind: "change", changes: { new1: { w: 100, h: 100 } } }]);
  });

  it("draws a line or arrow, and nothing else, with the chosen arrowheads and route", () => {
    const connectorStyle = { startHead: "arrow", endHead: "arrow", route: "elbow" } as const;
    const line = transition(idle, down(500, 500), sceneOf(boxes, { tool: "line", connectorStyle }));
    expect(line.commands[0]).toMatchObject({ kind: "add", shapes: [connectorStyle] });
    const rect = transition(idle, down(500, 500), sceneOf(boxes, { tool: "rect", connectorStyle }));
    expect(Object.keys((rect.commands[0] as { shapes: Shape[] }).shapes[0])).not.toContain("route");
  });

  it("unbinds a connector from a deleted shape in the same step, and edits its label", () => {
    const arrow = shape("arrow", { type: "arrow", x: 100, y: 50, w: 200, h: 0, z: 3, endBinding: { shapeId: "to", anchor: { x: 0, y: 0.5 } } });
    const scene = sceneOf([...boxes, arrow], { selected: ["to"] });
    const deleted = transition(idle, { type: "key", command: { kind: "delete" } }, scene);
    expect(deleted.commands.slice(0, 2)).toEqual([
      { kind: "change", changes: { arrow: { x: 100, y: 50, w: 200, h: 0, endBinding: null } } },
      { kind: "remove", ids: ["to"] },
    ]);
    const editing = transition(idle, { type: "edit", shapeId: "arrow" }, scene);
    expect(editing.commands).toEqual([{ kind: "editText", id: "arrow", type: "arrow", text: "" }]);
    expect(transition(editing.state, { type: "textDone", text: "calls" }, scene).commands).toEqual([{ kind: "change", changes: { arrow: { text: "calls" } } }]);
  });
});

describe("cancel (a second finger lands during a one-finger drag)", () => {
  it("takes back a shape being drawn", () => {
    const scene = sceneOf([], { tool: "rect" });
    const drawing = transition(transition(idle, down(10, 10), scene).state, move(40, 40), scene).state;
    expect(transition(drawing, { type: "cancel" }, scene)).toEqual({ state: idle, commands: [{ kind: "remove", ids: ["new1"] }, { kind: "select", ids: [] }] });
  });

  it("puts moved shapes back where they started", () => {
    const scene = sceneOf(board, { selected: ["a", "b"] });
    const dragging = transition(transition(idle, down(5, 5, { shapeId: "a" }), scene).state, move(25, 35), scene).state;
    const { state, commands } = transition(dragging, { type: "cancel" }, scene);
    expect(state).toEqual(idle);
    expect(commands).toEqual([{ kind: "change", changes: { a: { x: 0, y: 0, w: 10, h: 10, points: [] }, b: { x: 50, y: 0, w: 10, h: 10, points: [] } } }]);
  });

  it("clears a marquee back to the selection it kept, and leaves an idle board alone", () => {
    const scene = sceneOf(board);
    const marquee = transition(transition(idle, down(-10, -10), scene).state, move(60, 20), scene).state;
    expect(marquee.kind).toBe("marquee");
    expect(transition(marquee, { type: "cancel" }, scene).commands).toEqual([{ kind: "marquee", box: null }, { kind: "select", ids: [] }]);
    expect(transition(idle, { type: "cancel" }, scene)).toEqual({ state: idle, commands: [] });
  });
});

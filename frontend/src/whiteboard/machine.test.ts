import { describe, expect, it } from "vitest";
import { transition, type Event, type Scene, type State } from "./machine";
import { down, idle, move, sceneOf, shape } from "./machine-testing";
import type { Shape } from "./model";

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
    // Each input is written at once, the note grown as its text needs.
    const note = shape("new1", { type: "sticky", w: 180, h: 140 });
    const short = transition(released.state, { type: "textInput", text: "1\n2" }, sceneOf([note]));
    expect(short).toEqual({ state: released.state, commands: [{ kind: "change", changes: { new1: { text: "1\n2" } } }] });
    const long = transition(released.state, { type: "textInput", text: "1\n2\n3\n4\n5\n6\n7\n8" }, sceneOf([note]));
    expect(long.commands).toEqual([{ kind: "change", changes: { new1: { text: "1\n2\n3\n4\n5\n6\n7\n8", h: 160 } } }]);
    const done = transition(long.state, { type: "textDone" }, sceneOf([{ ...note, text: "1\n2\n3\n4\n5\n6\n7\n8", h: 160 }]));
    expect(done).toEqual({ state: idle, commands: [{ kind: "announce", text: "sticky added" }] });
  });

  it("drops a new text shape left empty, and keeps an empty new note", () => {
    const editing: State = { kind: "editing", id: "t", isNew: true };
    const done = transition(editing, { type: "textDone" }, sceneOf([shape("t", { type: "text", text: " " })]));
    expect(done).toEqual({ state: idle, commands: [{ kind: "remove", ids: ["t"] }, { kind: "select", ids: [] }] });
    expect(transition(editing, { type: "textDone" }, sceneOf([shape("t", { type: "sticky" })])).commands).toEqual([{ kind: "announce", text: "sticky added" }]);
  });

  it("ends the edit of a shape someone else deleted, writing nothing", () => {
    const editing: State = { kind: "editing", id: "gone", isNew: false };
    expect(transition(editing, { type: "textInput", text: "late" }, sceneOf([]))).toEqual({ state: idle, commands: [] });
    expect(transition(editing, { type: "textDone" }, sceneOf([]))).toEqual({ state: idle, commands: [] });
  });

  it("takes no other key, press or edit while text is edited", () => {
    const editing: State = { kind: "editing", id: "a", isNew: false };
    const scene = sceneOf(board, { selected: ["a"] });
    expect(transition(editing, { type: "key", command: { kind: "delete" } }, scene)).toEqual({ state: editing, commands: [] });
    expect(transition(editing, { type: "edit", shapeId: "b" }, scene)).toEqual({ state: editing, commands: [] });
    expect(transition(editing, down(0, 0, { shapeId: "b" }), scene)).toEqual({ state: editing, commands: [] });
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
    expect(transition(editing.state, { type: "textInput", text: "calls" }, scene).commands).toEqual([{ kind: "change", changes: { arrow: { text: "calls" } } }]);
  });

  it("edits a rectangle's or ellipse's label on a double click or Enter, growing it to fit", () => {
    const label = shape("r", { w: 100, h: 30 });
    const scene = sceneOf([label, shape("o", { type: "ellipse" }), shape("p", { type: "pen" })], { selected: ["r"] });
    const editing = transition(idle, { type: "edit", shapeId: "r" }, scene);
    expect(editing).toEqual({ state: { kind: "editing", id: "r", isNew: false }, commands: [{ kind: "editText", id: "r", type: "rect", text: "" }] });
    expect(transition(idle, { type: "key", command: { kind: "editText" } }, scene)).toEqual(editing);
    expect(transition(idle, { type: "edit", shapeId: "o" }, scene).commands).toEqual([{ kind: "editText", id: "o", type: "ellipse", text: "" }]);
    // A pen stroke has no text; Enter needs exactly one selected shape.
    expect(transition(idle, { type: "edit", shapeId: "p" }, scene)).toEqual({ state: idle, commands: [] });
    expect(transition(idle, { type: "key", command: { kind: "editText" } }, sceneOf([label], { selected: [] }))).toEqual({ state: idle, commands: [] });
    // One line fits the 30 px box; three lines need 60 px: only the text and height are written.
    expect(transition(editing.state, { type: "textInput", text: "one" }, scene).commands).toEqual([{ kind: "change", changes: { r: { text: "one" } } }]);
    expect(transition(editing.state, { type: "textInput", text: "a\nb\nc" }, scene).commands).toEqual([{ kind: "change", changes: { r: { text: "a\nb\nc", h: 60 } } }]);
  });

  it("draws the next shape with the chosen font size and alignment where it holds text", () => {
    const textStyle = { fontSize: 36, align: "right" } as const;
    const rect = transition(idle, down(0, 0), sceneOf([], { tool: "rect", textStyle }));
    expect(rect.commands[0]).toMatchObject({ kind: "add", shapes: [textStyle] });
    const arrow = transition(idle, down(0, 0), sceneOf([], { tool: "arrow", textStyle }));
    expect((arrow.commands[0] as { shapes: Shape[] }).shapes[0]).toMatchObject({ fontSize: 36 });
    expect(Object.keys((arrow.commands[0] as { shapes: Shape[] }).shapes[0])).not.toContain("align");
    const pen = transition(idle, down(0, 0), sceneOf([], { tool: "pen", textStyle }));
    expect(Object.keys((pen.commands[0] as { shapes: Shape[] }).shapes[0])).not.toContain("fontSize");
  });

  it("keeps a resized box tall enough for its label", () => {
    const label = shape("r", { w: 100, h: 40, text: "a\nb\nc" });
    const scene = sceneOf([label], { selected: ["r"], fitHeight: (_shape, text) => 20 * text.split("\n").length });
    const pressed = transition(idle, down(100, 40, { onHandle: true }), scene);
    const step = transition(pressed.state, move(50, 20), scene);
    expect(step.commands).toEqual([{ kind: "change", changes: { r: { x: 0, y: 0, w: 50, h: 60 } } }]);
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

  it("turns a rotated selection back, and hides the snap guides of a drag", () => {
    const scene = sceneOf(board, { selected: ["a"] });
    const turning = transition(transition(idle, down(5, -20, { onHandle: true, onRotate: true }), scene).state, move(30, 5), scene).state;
    expect(transition(turning, { type: "cancel" }, scene).commands).toStrictEqual([{ kind: "change", changes: { a: { x: 0, y: 0, w: 10, h: 10, points: [], rotation: undefined } } }]);
    const other = shape("other", { x: 100, y: 0, w: 100, h: 50 });
    const mover = shape("mover", { x: 0, y: 300, w: 40, h: 20 });
    const snapping = sceneOf([other, mover], { selected: ["mover"], snap: { zoom: 1, grid: null, view: () => ({ x: -500, y: -500, w: 2000, h: 2000 }) } });
    const near = transition(transition(idle, down(10, 310, { shapeId: "mover" }), snapping).state, move(213, 310), snapping).state;
    expect(transition(near, { type: "cancel" }, snapping).commands).toContainEqual({ kind: "guides", guides: [] });
  });
});

describe("rotate, group and lock", () => {
  const rotateDown = (x: number, y: number) => down(x, y, { onHandle: true, onRotate: true });

  it("rotates the selection from its handle about its centre, one change per move, snapping with Shift", () => {
    const scene = sceneOf(board, { selected: ["a"] });
    const pressed = transition(idle, rotateDown(5, -20), scene);
    expect(pressed.state).toMatchObject({ kind: "rotating", pivot: { x: 5, y: 5 } });
    // From straight above the centre to straight right of it: a quarter turn clockwise.
    const turned = transition(pressed.state, move(30, 5), scene);
    expect(turned.commands).toEqual([{ kind: "change", changes: { a: { x: 0, y: 0, rotation: Math.PI / 2 } } }]);
    const snapped = transition(pressed.state, { ...move(30, 8), shift: true } as Event, scene);
    const change = (snapped.commands[0] as { changes: Record<string, Partial<Shape>> }).changes.a;
    expect(change.rotation).toBeCloseTo(Math.PI / 2);
    expect(transition(turned.state, { type: "up" }, scene)).toEqual({ state: idle, commands: [] });
  });

  it("turns several shapes about the centre of their box, each moving round it", () => {
    const scene = sceneOf(board, { selected: ["a", "c"] }); // their box: 0..110 by 0..10
    const pressed = transition(idle, rotateDown(55, -20), scene);
    const half = transition(pressed.state, move(55, 30), scene);
    expect(half.commands).toEqual([{ kind: "change", changes: { a: { x: 100, y: 0, rotation: Math.PI }, c: { x: 0, y: 0, rotation: Math.PI } } }]);
  });

  const grouped = [shape("a", { groupId: "g" }), shape("b", { x: 50, groupId: "g" }), shape("c", { x: 100 }), shape("lock", { x: 200, locked: true })];

  it("selects a whole group by clicking one of its shapes and moves it together", () => {
    const scene = sceneOf(grouped);
    const pressed = transition(idle, down(55, 5, { shapeId: "b" }), scene);
    expect(pressed.commands).toEqual([{ kind: "select", ids: ["a", "b"] }]);
    expect(transition(pressed.state, move(65, 5), scene).commands).toEqual([{ kind: "change", changes: { a: { x: 10, y: 0 }, b: { x: 60, y: 0 } } }]);
    // Shift-clicking a grouped shape takes its whole group out again.
    const out = transition(idle, down(5, 5, { shapeId: "a", shift: true }), sceneOf(grouped, { selected: ["a", "b", "c"] }));
    expect(out.commands).toEqual([{ kind: "select", ids: ["c"] }]);
  });

  it("reaches one shape of a selected group with a double click, and edits it with another", () => {
    const withText = grouped.map((s) => (s.id === "b" ? { ...s, type: "text" as const } : s));
    const entered = transition(idle, { type: "edit", shapeId: "b" }, sceneOf(withText, { selected: ["a", "b"] }));
    expect(entered).toEqual({ state: idle, commands: [{ kind: "select", ids: ["b"] }] });
    const editing = transition(idle, { type: "edit", shapeId: "b" }, sceneOf(withText, { selected: ["b"] }));
    expect(editing.state).toEqual({ kind: "editing", id: "b", isNew: false });
  });

  it("catches whole groups with a marquee, never a locked shape", () => {
    const scene = sceneOf(grouped);
    const pressed = transition(idle, down(-5, -5), scene);
    const dragged = transition(pressed.state, move(300, 20), scene);
    expect(dragged.commands[1]).toEqual({ kind: "select", ids: ["a", "b", "c"] });
    const partly = transition(pressed.state, move(20, 20), scene);
    expect(partly.commands[1]).toEqual({ kind: "select", ids: ["a", "b"] });
    expect(transition(idle, { type: "key", command: { kind: "selectAll" } }, scene).commands).toEqual([{ kind: "select", ids: ["a", "b", "c"] }]);
  });

  it("groups with a new id and ungroups the selection", () => {
    const scene = sceneOf(grouped, { selected: ["b", "c"] });
    expect(transition(idle, { type: "key", command: { kind: "group" } }, scene).commands[0]).toEqual({ kind: "change", changes: { b: { groupId: "new1" }, c: { groupId: "new1" } } });
    expect(transition(idle, { type: "key", command: { kind: "ungroup" } }, scene).commands[0]).toStrictEqual({ kind: "change", changes: { b: { groupId: undefined } } });
    expect(transition(idle, { type: "key", command: { kind: "group" } }, sceneOf(grouped, { selected: ["c"] })).commands).toEqual([]);
  });

  it("lets a press on a locked shape fall through to the canvas, and never moves, nudges, resizes, rotates or deletes it", () => {
    const scene = sceneOf(grouped, { selected: ["lock"] });
    const pressed = transition(idle, down(205, 5, { shapeId: "lock" }), sceneOf(grouped));
    expect(pressed.state.kind).toBe("marquee");
    expect(transition(idle, { type: "key", command: { kind: "delete" } }, scene).commands).toEqual([]);
    expect(transition(idle, { type: "key", command: { kind: "nudge", dx: 1, dy: 0 } }, scene).commands).toEqual([]);
    expect(transition(idle, down(210, 10, { onHandle: true }), scene)).toEqual({ state: idle, commands: [] });
    expect(transition(idle, rotateDown(205, -20), scene)).toEqual({ state: idle, commands: [] });
    // With unlocked shapes beside it, only they change.
    const mixed = sceneOf(grouped, { selected: ["c", "lock"] });
    expect(transition(idle, { type: "key", command: { kind: "delete" } }, mixed).commands[0]).toEqual({ kind: "remove", ids: ["c"] });
    expect(transition(idle, { type: "key", command: { kind: "nudge", dx: 1, dy: 0 } }, mixed).commands).toEqual([{ kind: "change", changes: { c: { x: 101, y: 0 } } }]);
    expect(transition(idle, { type: "edit", shapeId: "lock" }, scene)).toEqual({ state: idle, commands: [] });
  });

  it("locks the selection, toggles it back, and unlocks by the lock mark or all at once", () => {
    const lockStep = transition(idle, { type: "key", command: { kind: "lock" } }, sceneOf(grouped, { selected: ["c"] }));
    expect(lockStep.commands[0]).toEqual({ kind: "change", changes: { c: { locked: true } } });
    const unlockStep = transition(idle, { type: "key", command: { kind: "lock" } }, sceneOf(grouped, { selected: ["lock"] }));
    expect(unlockStep.commands[0]).toEqual({ kind: "change", changes: { lock: { locked: false } } });
    expect(transition(idle, { type: "unlock", shapeId: "lock" }, sceneOf(grouped)).commands[0]).toEqual({ kind: "change", changes: { lock: { locked: false } } });
    expect(transition(idle, { type: "key", command: { kind: "unlockAll" } }, sceneOf(grouped)).commands[0]).toEqual({ kind: "change", changes: { lock: { locked: false } } });
    const viewer = sceneOf(grouped, { canWrite: false, selected: ["c"] });
    expect(transition(idle, { type: "key", command: { kind: "lock" } }, viewer).commands).toEqual([]);
    expect(transition(idle, { type: "unlock", shapeId: "lock" }, viewer).commands).toEqual([]);
  });
});

describe("snapping", () => {
  // "other" sits at x 100..200; "mover" is 40 wide, far below it.
  const other = shape("other", { x: 100, y: 0, w: 100, h: 50 });
  const mover = shape("mover", { x: 0, y: 300, w: 40, h: 20, z: 2 });
  const view = () => ({ x: -500, y: -500, w: 2000, h: 2000 });
  const snapping = (grid: number | null = null) => sceneOf([other, mover], { selected: ["mover"], snap: { zoom: 1, grid, view } });
  const moveFree = (x: number, y: number): Event => ({ type: "move", point: { x, y }, client: { x, y }, free: true });

  it("snaps a dragged shape's left edge onto another's right edge, shows the guide while it holds, and hides it", () => {
    const scene = snapping();
    const pressed = transition(idle, down(10, 310, { shapeId: "mover" }), scene);
    // Dragged by 203: its left edge would be at 203, three from the other's right edge.
    const near = transition(pressed.state, move(213, 310), scene);
    expect(near.commands).toEqual([
      { kind: "change", changes: { mover: { x: 200, y: 300 } } },
      { kind: "guides", guides: [{ axis: "x", at: 200, from: 0, to: 320 }] },
    ]);
    const away = transition(near.state, move(250, 310), scene);
    expect(away.commands).toEqual([
      { kind: "change", changes: { mover: { x: 240, y: 300 } } },
      { kind: "guides", guides: [] },
    ]);
    // No guides were shown at the end, so none to hide.
    expect(transition(away.state, { type: "up" }, scene)).toEqual({ state: idle, commands: [] });
    const again = transition(transition(idle, down(10, 310, { shapeId: "mover" }), scene).state, move(213, 310), scene);
    expect(transition(again.state, { type: "up" }, scene)).toEqual({ state: idle, commands: [{ kind: "guides", guides: [] }] });
  });

  it("gathers the targets once, at the drag's first move", () => {
    let reads = 0;
    const scene = { ...snapping(), shapes: () => (reads++, [other, mover]) };
    let state = transition(idle, down(10, 310, { shapeId: "mover" }), scene).state;
    reads = 0;
    state = transition(state, move(20, 310), scene).state;
    expect(reads).toBe(1); // the first move gathers them
    for (let x = 30; x < 200; x += 10) state = transition(state, move(x, 310), scene).state;
    expect(reads).toBe(1); // the later moves reuse them
  });

  it("does not snap with Alt, Ctrl or Cmd held", () => {
    const scene = snapping();
    const pressed = transition(idle, down(10, 310, { shapeId: "mover" }), scene);
    expect(transition(pressed.state, moveFree(213, 310), scene).commands).toEqual([{ kind: "change", changes: { mover: { x: 203, y: 300 } } }]);
  });

  it("snaps to the grid where no shape is near", () => {
    const scene = snapping(20);
    const pressed = transition(idle, down(10, 310, { shapeId: "mover" }), scene);
    expect(transition(pressed.state, move(517, 598), scene).commands).toEqual([{ kind: "change", changes: { mover: { x: 500, y: 580 } } }]);
  });

  it("snaps the corner of a resize onto another shape's edge", () => {
    const scene = snapping();
    // The handle is at (40, 320): dragged to (98, 330), its right edge comes 2 short of x 100.
    const pressed = transition(idle, down(40, 320, { onHandle: true }), scene);
    const step = transition(pressed.state, move(98, 330), scene);
    expect(step.commands).toEqual([
      { kind: "change", changes: { mover: { x: 0, y: 300, w: 100, h: 30 } } },
      { kind: "guides", guides: [{ axis: "x", at: 100, from: 0, to: 330 }] },
    ]);
  });

  it("leaves a shape where it is when the press moved less than a few pixels", () => {
    const scene = snapping();
    const pressed = transition(idle, down(10, 310, { shapeId: "mover" }), scene);
    expect(transition(pressed.state, move(11, 311), scene)).toEqual({ state: pressed.state, commands: [] });
  });
});

describe("arrange", () => {
  const row = [shape("a", { x: 0, y: 0 }), shape("b", { x: 50, y: 30 }), shape("c", { x: 200, y: 60 })];
  const arrange = (arrangement: Extract<Event, { type: "key" }>["command"] & { kind: "arrange" }, scene: Scene) => transition(idle, { type: "key", command: arrangement }, scene);

  it("aligns the selection in one change and says so", () => {
    const scene = sceneOf(row, { selected: ["a", "b", "c"] });
    expect(arrange({ kind: "arrange", arrangement: { kind: "align", edge: "top" } }, scene).commands).toEqual([
      { kind: "change", changes: { b: { x: 50, y: 0 }, c: { x: 200, y: 0 } } },
      { kind: "announce", text: "Align top: 3 shapes" },
    ]);
  });

  it("distributes three and asks for more when there are too few", () => {
    expect(arrange({ kind: "arrange", arrangement: { kind: "distribute", axis: "horizontal" } }, sceneOf(row, { selected: ["a", "b", "c"] })).commands[0]).toEqual({
      kind: "change",
      changes: { b: { x: 100, y: 30 } },
    });
    expect(arrange({ kind: "arrange", arrangement: { kind: "distribute", axis: "horizontal" } }, sceneOf(row, { selected: ["a", "b"] })).commands).toEqual([
      { kind: "announce", text: "Select 3 or more shapes to distribute" },
    ]);
  });

  it("changes nothing for a viewer", () => {
    expect(arrange({ kind: "arrange", arrangement: { kind: "align", edge: "left" } }, sceneOf(row, { selected: ["a", "b"], canWrite: false })).commands).toEqual([]);
  });
});

describe("pasting from outside", () => {
  it("pastes a shape where it was placed when asked for no offset", () => {
    const text = shape("outside", { type: "text", x: 300, y: 200, text: "hello" });
    const pasted = transition(idle, { type: "paste", shapes: [text], offset: 0 }, sceneOf([shape("a", { z: 5 })]));
    expect(pasted.commands[0]).toEqual({ kind: "add", shapes: [{ ...text, id: "new1", z: 6 }] });
  });
});

describe("snapping while drawing", () => {
  const other = shape("other", { x: 100, y: 0, w: 100, h: 50 });
  const scene = (tool: Scene["tool"], grid: number | null = null) => sceneOf([other], { tool, snap: { zoom: 1, grid, view: () => ({ x: -500, y: -500, w: 2000, h: 2000 }) } });

  it("starts and ends a box on the grid", () => {
    const pressed = transition(idle, down(13, 108), scene("rect", 20));
    expect(pressed.commands).toEqual([{ kind: "add", shapes: [expect.objectContaining({ x: 20, y: 100 })] }]);
    expect(transition(pressed.state, move(87, 171), scene("rect", 20)).commands).toEqual([{ kind: "change", changes: { new1: { w: 60, h: 80 } } }]);
  });

  it("ends a box on another shape's edge with a guide, and hides it when done", () => {
    const pressed = transition(idle, down(0, 300), scene("ellipse"));
    const dragged = transition(pressed.state, move(97, 340), scene("ellipse"));
    expect(dragged.commands).toEqual([
      { kind: "change", changes: { new1: { w: 100, h: 40 } } },
      { kind: "guides", guides: [{ axis: "x", at: 100, from: 0, to: 340 }] },
    ]);
    expect(transition(dragged.state, { type: "up" }, scene("ellipse")).commands).toContainEqual({ kind: "guides", guides: [] });
  });

  it("leaves pen strokes and connectors unsnapped, and any box drawn with Alt", () => {
    expect(transition(idle, down(13, 108), scene("pen", 20)).commands[0]).toMatchObject({ shapes: [{ x: 13, y: 108 }] });
    expect(transition(idle, down(13, 108), scene("arrow", 20)).commands[0]).toMatchObject({ shapes: [{ x: 13, y: 108 }] });
    expect(transition(idle, down(13, 108, { free: true }), scene("rect", 20)).commands[0]).toMatchObject({ shapes: [{ x: 13, y: 108 }] });
  });
});

import { describe, expect, it } from "vitest";
import { pressAction, type PressContext } from "./press";

function on(changes: Partial<PressContext>): PressContext {
  return { button: 0, tool: "select", canWrite: true, selected: [], shift: false, onHandle: false, shapeId: null, ...changes };
}

describe("pressAction", () => {
  it("ignores buttons other than the primary and the middle one", () => {
    expect(pressAction(on({ button: 2, shapeId: "a" }))).toEqual({ kind: "ignore" });
  });

  it("draws with a drawing tool, even over an existing shape", () => {
    expect(pressAction(on({ tool: "ellipse", shapeId: "a" }))).toEqual({ kind: "draw", type: "ellipse" });
  });

  it("selects and moves a shape with the select tool", () => {
    expect(pressAction(on({ shapeId: "a" }))).toEqual({ kind: "select", ids: ["a"], move: true });
  });

  it("keeps the whole selection when pressing one of its shapes, to move them together", () => {
    expect(pressAction(on({ shapeId: "b", selected: ["a", "b"] }))).toEqual({ kind: "select", ids: ["a", "b"], move: true });
  });

  it("adds a shape with shift and removes it again without moving", () => {
    expect(pressAction(on({ shapeId: "b", selected: ["a"], shift: true }))).toEqual({ kind: "select", ids: ["a", "b"], move: true });
    expect(pressAction(on({ shapeId: "a", selected: ["a", "b"], shift: true }))).toEqual({ kind: "select", ids: ["b"], move: false });
  });

  it("resizes the selection from its handle", () => {
    expect(pressAction(on({ selected: ["a", "b"], onHandle: true }))).toEqual({ kind: "resize" });
  });

  it("draws a marquee on empty canvas, adding to the selection with shift", () => {
    expect(pressAction(on({ selected: ["a"] }))).toEqual({ kind: "marquee", keep: [] });
    expect(pressAction(on({ selected: ["a"], shift: true }))).toEqual({ kind: "marquee", keep: ["a"] });
  });

  it("pans with the middle button whatever the tool, keeping the selection", () => {
    expect(pressAction(on({ button: 1, tool: "pen", shapeId: "a", selected: ["a"] }))).toEqual({ kind: "pan", deselect: false });
  });

  it("lets a viewer select (to see it) and pan but neither move, resize nor draw", () => {
    const viewer = { canWrite: false, selected: ["a"] };
    expect(pressAction(on({ ...viewer, shapeId: "b" }))).toEqual({ kind: "select", ids: ["b"], move: false });
    expect(pressAction(on({ ...viewer, onHandle: true }))).toEqual({ kind: "pan", deselect: true });
    expect(pressAction(on({ ...viewer, tool: "rect" }))).toEqual({ kind: "pan", deselect: true });
  });
});

import { describe, expect, it } from "vitest";
import { pressAction, type PressContext } from "./press";

function on(changes: Partial<PressContext>): PressContext {
  return { button: 0, tool: "select", canWrite: true, selected: null, onHandle: false, shapeId: null, ...changes };
}

describe("pressAction", () => {
  it("ignores buttons other than the primary and the middle one", () => {
    expect(pressAction(on({ button: 2, shapeId: "a" }))).toEqual({ kind: "ignore" });
  });

  it("draws with a drawing tool, even over an existing shape", () => {
    expect(pressAction(on({ tool: "ellipse", shapeId: "a" }))).toEqual({ kind: "draw", type: "ellipse" });
  });

  it("selects and moves a shape with the select tool", () => {
    expect(pressAction(on({ shapeId: "a" }))).toEqual({ kind: "select", id: "a", move: true });
  });

  it("resizes the selected shape from its handle", () => {
    expect(pressAction(on({ selected: "a", onHandle: true, shapeId: null }))).toEqual({ kind: "resize", id: "a" });
  });

  it("pans and deselects on empty canvas", () => {
    expect(pressAction(on({ selected: "a" }))).toEqual({ kind: "pan", deselect: true });
  });

  it("pans with the middle button whatever the tool, keeping the selection", () => {
    expect(pressAction(on({ button: 1, tool: "pen", shapeId: "a", selected: "a" }))).toEqual({ kind: "pan", deselect: false });
  });

  it("lets a viewer select (to see it) but neither move, resize nor draw", () => {
    const viewer = { canWrite: false, selected: "a" };
    expect(pressAction(on({ ...viewer, shapeId: "b" }))).toEqual({ kind: "select", id: "b", move: false });
    expect(pressAction(on({ ...viewer, onHandle: true }))).toEqual({ kind: "pan", deselect: true });
    expect(pressAction(on({ ...viewer, tool: "rect" }))).toEqual({ kind: "pan", deselect: true });
  });
});

import { describe, expect, it } from "vitest";
import { frameEntries } from "./frame-list";
import type { Shape } from "./model";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "frame", x: 0, y: 0, w: 100, h: 100, color: "#000000", text: "", points: [], z: 1, ...changes };
}

describe("the frames list", () => {
  it("lists the frames by title, top to bottom then left to right, and nothing else", () => {
    const board = [shape("low", { y: 500, text: "Later" }), shape("right", { x: 300, text: "Ideas" }), shape("left", { text: "" }), shape("rect", { type: "rect" })];
    expect(frameEntries(board)).toEqual([
      { id: "left", title: "Frame" },
      { id: "right", title: "Ideas" },
      { id: "low", title: "Later" },
    ]);
  });
});

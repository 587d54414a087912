import { describe, expect, it } from "vitest";
import { resizeHandle } from "./geometry";
import { resizedAll } from "./selection";
import type { Shape } from "./model";

function shape(changes: Partial<Shape> = {}): Shape {
  return { id: "s", type: "rect", x: 100, y: 100, w: 80, h: 60, color: "#1b2230", text: "", points: [], z: 1, ...changes };
}

describe("resizeHandle", () => {
  it("sits at a box's bottom right corner however it was drawn", () => {
    expect(resizeHandle(shape())).toEqual({ x: 180, y: 160 });
    expect(resizeHandle(shape({ x: 180, y: 160, w: -80, h: -60 }))).toEqual({ x: 180, y: 160 });
  });

  it("sits at a line's end, even when the end is above and left of the start", () => {
    expect(resizeHandle(shape({ type: "line", w: -30, h: -40 }))).toEqual({ x: 70, y: 60 });
  });

  it("follows the resize: the handle ends up where the pointer dragged it", () => {
    const start = shape();
    const after = { ...start, ...resizedAll([start], 25, 15).s };
    expect(resizeHandle(after)).toEqual({ x: 205, y: 175 });
  });
});

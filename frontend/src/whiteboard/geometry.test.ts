import { describe, expect, it } from "vitest";
import { MIN_BOX_SIZE, movedBy, resizedBy, resizeHandle } from "./geometry";
import type { Shape } from "./model";

function shape(changes: Partial<Shape> = {}): Shape {
  return { id: "s", type: "rect", x: 100, y: 100, w: 80, h: 60, color: "#1b2230", text: "", points: [], z: 1, ...changes };
}

describe("movedBy", () => {
  it("offsets the start position and rounds to whole units", () => {
    expect(movedBy(shape(), 10.4, -20.6)).toEqual({ x: 110, y: 79 });
  });
});

describe("resizedBy", () => {
  it("grows a box from its top left corner", () => {
    expect(resizedBy(shape(), 20, 10)).toEqual({ x: 100, y: 100, w: 100, h: 70 });
  });

  it("never shrinks a box below the minimum size", () => {
    expect(resizedBy(shape(), -500, -59)).toEqual({ x: 100, y: 100, w: MIN_BOX_SIZE, h: MIN_BOX_SIZE });
  });

  it("normalises a box drawn right to left, so its handle stays at the bottom right", () => {
    const drawnBackwards = shape({ x: 180, y: 160, w: -80, h: -60 });
    expect(resizedBy(drawnBackwards, 20, 10)).toEqual({ x: 100, y: 100, w: 100, h: 70 });
  });

  it("moves only the end of a line, which may cross its start", () => {
    const line = shape({ type: "arrow", w: 50, h: 0 });
    expect(resizedBy(line, -80, 30)).toEqual({ w: -30, h: 30 });
  });
});

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
    const after = { ...start, ...resizedBy(start, 25, 15) };
    expect(resizeHandle(after)).toEqual({ x: 205, y: 175 });
  });
});

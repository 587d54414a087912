import { describe, expect, it } from "vitest";
import { keepsNewText, sizeAfterClick } from "./create";
import type { Shape } from "./model";

function drawn(changes: Partial<Shape>): Shape {
  return { id: "s", type: "rect", x: 0, y: 0, w: 0, h: 0, color: "#1b2230", text: "", points: [], z: 1, ...changes };
}

describe("sizeAfterClick", () => {
  it("gives a clicked (not dragged) shape its default size", () => {
    expect(sizeAfterClick(drawn({ type: "rect", w: 3, h: -2 }))).toEqual({ w: 160, h: 100 });
    expect(sizeAfterClick(drawn({ type: "arrow" }))).toEqual({ w: 160, h: 0 });
    expect(sizeAfterClick(drawn({ type: "sticky", w: 7, h: 7 }))).toEqual({ w: 180, h: 140 });
  });

  it("keeps the drawn size once the drag reached 8 units on either axis", () => {
    expect(sizeAfterClick(drawn({ w: 8, h: 0 }))).toBeNull();
    expect(sizeAfterClick(drawn({ w: 0, h: -8 }))).toBeNull();
  });

  it("leaves pen strokes alone: a dot is a valid stroke", () => {
    expect(sizeAfterClick(drawn({ type: "pen" }))).toBeNull();
  });
});

describe("keepsNewText", () => {
  it("drops a text shape left blank, which would be invisible", () => {
    expect(keepsNewText("text", "")).toBe(false);
    expect(keepsNewText("text", "  \n ")).toBe(false);
    expect(keepsNewText("text", " hi ")).toBe(true);
  });

  it("keeps an empty sticky note, which is still visible", () => {
    expect(keepsNewText("sticky", "")).toBe(true);
  });
});

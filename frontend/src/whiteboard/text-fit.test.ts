import { describe, expect, it } from "vitest";
import type { Shape } from "./model";
import { fittedAll, grownToFit, restyledText, textStyleFor, type FitHeight } from "./text-fit";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 100, h: 60, color: "#000000", text: "", points: [], z: 1, ...changes };
}

// 20 px per line, a line per 10 characters of width 100, scaled by the font size over 16.
const fit: FitHeight = (shape, text) => 20 * Math.ceil((text.length * 10 * (shape.fontSize ?? 16)) / 16 / Math.abs(shape.w));

describe("grownToFit", () => {
  it("grows a box whose text needs more height, writing only its height", () => {
    expect(grownToFit(shape("r"), "x".repeat(40), fit)).toEqual({ h: 80 });
  });

  it("leaves a box tall enough, a connector's label and an empty text alone", () => {
    expect(grownToFit(shape("r"), "short", fit)).toBeNull();
    expect(grownToFit(shape("r", { h: 200 }), "x".repeat(40), fit)).toBeNull();
    expect(grownToFit(shape("a", { type: "arrow", h: 0 }), "x".repeat(40), fit)).toBeNull();
    expect(grownToFit(shape("p", { type: "pen", h: 0 }), "x".repeat(40), fit)).toBeNull();
    expect(grownToFit(shape("t", { type: "text", h: 0 }), "", fit)).toBeNull();
  });

  it("keeps the top of a box stored upside down", () => {
    expect(grownToFit(shape("r", { y: 100, h: -60 }), "x".repeat(40), fit)).toEqual({ y: 40, h: 80 });
  });

  it("grows a rotated box along its own axis, its top edge staying where it is drawn", () => {
    // Turned a quarter clockwise, the box's top edge is its right side on screen, at x = 80.
    const grown = grownToFit(shape("r", { rotation: Math.PI / 2 }), "x".repeat(40), fit);
    expect(grown).toEqual({ x: -10, y: -10, w: 100, h: 80 });
    const centre = { x: -10 + 50, y: -10 + 40 };
    expect(centre.x + 80 / 2).toBe(80); // the top edge's middle, turned, is where it was
    expect(centre.y).toBe(30);
  });
});

describe("fittedAll", () => {
  it("keeps a narrowed box with text tall enough for its rewrapped text", () => {
    const label = shape("r", { text: "x".repeat(20) });
    const plain = shape("p", { x: 200 });
    const changes = { r: { x: 0, y: 0, w: 50, h: 30 }, p: { x: 200, y: 0, w: 50, h: 30 } };
    expect(fittedAll([label, plain], changes, fit)).toEqual({ r: { x: 0, y: 0, w: 50, h: 80 }, p: { x: 200, y: 0, w: 50, h: 30 } });
  });
});

describe("textStyleFor and restyledText", () => {
  it("gives a label a size but no alignment, and a shape without text nothing", () => {
    const style = { fontSize: 36, align: "right" as const };
    expect(textStyleFor("sticky", style)).toEqual(style);
    expect(textStyleFor("arrow", style)).toEqual({ fontSize: 36 });
    expect(textStyleFor("pen", style)).toEqual({});
    expect(textStyleFor("rect", {})).toEqual({});
  });

  it("restyles the selection's text in one set of changes, growing boxes for a larger size", () => {
    const note = shape("n", { type: "sticky", text: "x".repeat(10) });
    const empty = shape("e");
    const pen = shape("p", { type: "pen" });
    expect(restyledText([note, empty, pen], { fontSize: 64 }, fit)).toEqual({ n: { fontSize: 64, h: 80 }, e: { fontSize: 64 } });
    expect(restyledText([note], { align: "left" }, fit)).toEqual({ n: { align: "left" } });
  });

  it("scales a text shape's width with its size, so its lines break where they did", () => {
    const text = shape("t", { type: "text", w: 200, h: 40, text: "x".repeat(20) });
    // 18 px is a text shape's default size: twice the size, twice the width, as many lines.
    expect(restyledText([text], { fontSize: 36 }, fit)).toEqual({ t: { fontSize: 36, w: 400 } });
    expect(restyledText([{ ...text, fontSize: 36, w: 400 }], { fontSize: 9 }, fit)).toEqual({ t: { fontSize: 9, w: 100 } });
    expect(restyledText([text], { align: "center" }, fit)).toEqual({ t: { align: "center" } });
  });
});

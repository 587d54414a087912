import { describe, expect, it } from "vitest";
import type { Shape } from "./model";
import { drawRegion, shapesIn, viewBox } from "./visible";

function rect(id: string, x: number, y: number): Shape {
  return { id, type: "rect", x, y, w: 100, h: 100, color: "#000", text: "", points: [], z: 0 };
}

describe("viewBox", () => {
  it("is the board area the canvas shows", () => {
    expect(viewBox({ pan: { x: -200, y: 100 }, zoom: 2 }, { w: 800, h: 600 })).toEqual({ x: 100, y: -50, w: 400, h: 300 });
  });
});

describe("drawRegion", () => {
  const view = { x: 0, y: 0, w: 100, h: 50 };

  it("is the view grown by a quarter of its size each way", () => {
    expect(drawRegion(view, null)).toEqual({ x: -25, y: -12.5, w: 150, h: 75 });
  });

  it("stays while the view pans inside it", () => {
    const drawn = drawRegion(view, null);
    expect(drawRegion({ ...view, x: 20, y: -10 }, drawn)).toBe(drawn);
  });

  it("moves once the view leaves it", () => {
    const drawn = drawRegion(view, null);
    expect(drawRegion({ ...view, x: 40 }, drawn)).toEqual({ x: 15, y: -12.5, w: 150, h: 75 });
  });

  it("shrinks once zoomed in more than twice, and grows on zooming out", () => {
    const drawn = drawRegion(view, null);
    expect(drawRegion({ x: 0, y: 0, w: 76, h: 38 }, drawn)).toBe(drawn);
    expect(drawRegion({ x: 0, y: 0, w: 40, h: 20 }, drawn)).toEqual({ x: -10, y: -5, w: 60, h: 30 });
    expect(drawRegion({ x: -30, y: -15, w: 160, h: 80 }, drawn).w).toBe(240);
  });
});

describe("shapesIn", () => {
  it("keeps the shapes that meet the region, with a margin, in order", () => {
    const shapes = [rect("left", -300, 0), rect("in", 50, 50), rect("near", 230, 0), rect("far", 500, 500)];
    expect(shapesIn(shapes, { x: 0, y: 0, w: 200, h: 200 }).map((shape) => shape.id)).toEqual(["in", "near"]);
  });

  it("reads a changed record's new box", () => {
    const region = { x: 0, y: 0, w: 200, h: 200 };
    expect(shapesIn([rect("a", 0, 0)], region)).toHaveLength(1);
    expect(shapesIn([rect("a", 900, 0)], region)).toHaveLength(0);
  });

  it("meets a rotated shape by its box as drawn, not its upright box", () => {
    // 1000 x 10 turned a quarter turn about its centre (500, 5) stands from y -495 to 505.
    const bar = { ...rect("bar", 0, 0), w: 1000, h: 10 };
    const region = { x: 480, y: 300, w: 40, h: 40 };
    expect(shapesIn([bar], region)).toHaveLength(0);
    expect(shapesIn([{ ...bar, rotation: Math.PI / 2 }], region)).toHaveLength(1);
  });
});

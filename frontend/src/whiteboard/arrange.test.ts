import { describe, expect, it } from "vitest";
import { arranged, unitsOf } from "./arrange";
import type { Shape } from "./model";

function shape(id: string, x: number, y: number, w: number, h: number, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x, y, w, h, color: "#000000", text: "", points: [], z: 1, ...changes };
}

// Three boxes of different sizes, scattered.
const a = shape("a", 10, 100, 40, 20);
const b = shape("b", 200, 0, 100, 60);
const c = shape("c", 90, 300, 20, 40);

describe("align", () => {
  it("lines the left edges up on the leftmost", () => {
    expect(arranged([a, b, c], { kind: "align", edge: "left" })).toEqual({ b: { x: 10, y: 0 }, c: { x: 10, y: 300 } });
  });

  it("lines the right edges up on the rightmost", () => {
    expect(arranged([a, b, c], { kind: "align", edge: "right" })).toEqual({ a: { x: 260, y: 100 }, c: { x: 280, y: 300 } });
  });

  it("centres each on the middle of the box around them all", () => {
    // The box runs from x 10 to 300: its centre is 155.
    expect(arranged([a, b, c], { kind: "align", edge: "centre" })).toEqual({ a: { x: 135, y: 100 }, b: { x: 105, y: 0 }, c: { x: 145, y: 300 } });
  });

  it("aligns tops, middles and bottoms", () => {
    expect(arranged([a, b, c], { kind: "align", edge: "top" })).toEqual({ a: { x: 10, y: 0 }, c: { x: 90, y: 0 } });
    expect(arranged([a, b, c], { kind: "align", edge: "bottom" })).toEqual({ a: { x: 10, y: 320 }, b: { x: 200, y: 280 } });
    // From y 0 to 340: the middle is 170.
    expect(arranged([a, b, c], { kind: "align", edge: "middle" })).toEqual({ a: { x: 10, y: 160 }, b: { x: 200, y: 140 }, c: { x: 90, y: 150 } });
  });

  it("uses the drawn box of a pen stroke and a line drawn backwards", () => {
    const pen = shape("pen", 100, 100, 0, 0, { type: "pen", points: [5, 0, 25, 10] }); // box from x 105
    const line = shape("line", 300, 50, -100, 20, { type: "line" }); // box from x 200
    expect(arranged([pen, line], { kind: "align", edge: "left" })).toEqual({ line: { x: 205, y: 50 } });
  });

  it("needs two shapes", () => {
    expect(arranged([a], { kind: "align", edge: "left" })).toEqual({});
  });
});

describe("distribute", () => {
  it("spaces shapes with equal gaps between the outermost, in the order of their centres", () => {
    const left = shape("left", 0, 0, 20, 10);
    const wide = shape("wide", 30, 50, 60, 10);
    const right = shape("right", 180, 20, 20, 10);
    // 200 wide, 100 of shapes: two gaps of 50.
    expect(arranged([right, wide, left], { kind: "distribute", axis: "horizontal" })).toEqual({ wide: { x: 70, y: 50 } });
  });

  it("spaces vertically", () => {
    const top = shape("top", 0, 0, 10, 10);
    const one = shape("one", 0, 15, 10, 30);
    const two = shape("two", 0, 60, 10, 10);
    const bottom = shape("bottom", 0, 130, 10, 20);
    // 150 high, 70 of shapes: three gaps of 80 / 3.
    const changes = arranged([top, one, two, bottom], { kind: "distribute", axis: "vertical" });
    expect(changes).toEqual({ one: { x: 0, y: 37 }, two: { x: 0, y: 93 } });
  });

  it("spaces the centres evenly when the shapes are too wide for gaps", () => {
    const first = shape("first", 0, 0, 100, 10);
    const second = shape("second", 20, 0, 100, 10);
    const third = shape("third", 100, 0, 100, 10);
    // Centres 50, 70, 150: the middle one's goes to 100.
    expect(arranged([first, second, third], { kind: "distribute", axis: "horizontal" })).toEqual({ second: { x: 50, y: 0 } });
  });

  it("needs three shapes", () => {
    expect(arranged([a, b], { kind: "distribute", axis: "horizontal" })).toEqual({});
  });
});

describe("units", () => {
  it("moves a group as one piece and leaves bound connectors to follow their shapes", () => {
    const grouped = [shape("g1", 100, 0, 10, 10, { groupId: "g" } as Partial<Shape>), shape("g2", 150, 0, 10, 10, { groupId: "g" } as Partial<Shape>)];
    const arrow = shape("arrow", 0, 0, 100, 0, { type: "arrow", startBinding: { shapeId: "a", anchor: { x: 0.5, y: 0.5 } } });
    expect(unitsOf([a, ...grouped, arrow]).map((unit) => unit.map((one) => one.id))).toEqual([["a"], ["g1", "g2"]]);
    // The group keeps its own layout: its left edge goes to 10, both shapes move by 90.
    expect(arranged([a, ...grouped, arrow], { kind: "align", edge: "left" })).toEqual({ g1: { x: 10, y: 0 }, g2: { x: 60, y: 0 } });
  });
});

describe("frames", () => {
  const frame = shape("f", 400, 0, 200, 200, { type: "frame" });
  const inside = shape("in", 450, 50, 20, 20, { frameId: "f" } as Partial<Shape>);
  const pinned = shape("pin", 500, 50, 20, 20, { frameId: "f", locked: true } as Partial<Shape>);

  it("carries a frame's members along when the frame is aligned, its locked ones excepted", () => {
    const changes = arranged([a, frame], { kind: "align", edge: "left" }, [a, frame, inside, pinned]);
    expect(changes).toEqual({ f: { x: 10, y: 0 }, in: { x: 60, y: 50 } });
  });

  it("places a frame chosen with its members as one piece", () => {
    const board = [a, frame, inside];
    expect(arranged([a, frame, inside], { kind: "align", edge: "top" }, board)).toEqual({ a: { x: 10, y: 0 } });
    expect(arranged([frame, inside], { kind: "align", edge: "left" }, board)).toEqual({});
  });
});


import { describe, expect, it } from "vitest";
import type { Shape } from "./model";
import { snapBox, snapPoint, snapTargets } from "./snap";

function shape(id: string, x: number, y: number, w: number, h: number, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x, y, w, h, color: "#000000", text: "", points: [], z: 1, ...changes };
}

const view = { x: -1000, y: -1000, w: 4000, h: 4000 };
// A box at x 100..200, y 100..150.
const target = shape("target", 100, 100, 100, 50);
const targets = snapTargets([target], new Set(), view);
const atZoom = (zoom: number, grid: number | null = null) => ({ zoom, grid });

describe("snap targets", () => {
  it("holds each shape's edges and centres, sorted, without the moving shapes, connectors and shapes out of view", () => {
    const board = [
      shape("moving", 0, 0, 10, 10),
      shape("arrow", 0, 0, 300, 300, { type: "arrow" }),
      shape("far", 9000, 9000, 10, 10),
      shape("b", 50, 0, 20, 40),
      target,
    ];
    const found = snapTargets(board, new Set(["moving"]), view);
    expect(found.x.map((line) => line.at)).toEqual([50, 60, 70, 100, 150, 200]);
    expect(found.y.map((line) => line.at)).toEqual([0, 20, 40, 100, 125, 150]);
    expect(found.x[0]).toEqual({ at: 50, from: 0, to: 40 });
  });

  it("takes a rotated shape's edges as drawn, not its upright box's", () => {
    // A 100 x 20 box turned a quarter turn about its centre (150, 110) spans x 140..160, y 60..160.
    const turned = shape("turned", 100, 100, 100, 20, { rotation: Math.PI / 2 } as Partial<Shape>);
    const found = snapTargets([turned], new Set(), view);
    expect(found.x.map((line) => line.at)).toEqual([140, 150, 160].map((at) => expect.closeTo(at, 9)));
    expect(found.y.map((line) => line.at)).toEqual([60, 110, 160].map((at) => expect.closeTo(at, 9)));
  });

  it("leaves out the shapes a moving frame holds, which move with it", () => {
    const frame = shape("frame", 0, 0, 400, 300, { type: "frame" } as unknown as Partial<Shape>);
    const held = shape("held", 20, 20, 50, 50, { frameId: "frame" } as Partial<Shape>);
    expect(snapTargets([frame, held, target], new Set(["frame"]), view).x.map((line) => line.at)).toEqual([100, 150, 200]);
  });
});

describe("snapping a moved box", () => {
  it("puts its left edge on a target's right edge within reach, with a guide spanning both", () => {
    const moved = { x: 203, y: 300, w: 40, h: 20 };
    expect(snapBox(moved, targets, atZoom(1))).toEqual({ dx: -3, dy: 0, guides: [{ axis: "x", at: 200, from: 100, to: 320 }] });
  });

  it("snaps on both axes at once, to the nearest line, and draws every line it now touches", () => {
    // Its centre x (148) comes 2 from the target's; its top is 4 under the target's bottom.
    const moved = { x: 126, y: 154, w: 44, h: 30 };
    const snap = snapBox(moved, targets, atZoom(1));
    expect([snap.dx, snap.dy]).toEqual([2, -4]);
    expect(snap.guides).toEqual([
      { axis: "x", at: 150, from: 100, to: 180 },
      { axis: "y", at: 150, from: 100, to: 200 },
    ]);
  });

  it("lines up a box of the same size on all three of its vertical lines", () => {
    const snap = snapBox({ x: 101, y: 400, w: 100, h: 10 }, targets, atZoom(1));
    expect(snap.dx).toBe(-1);
    expect(snap.guides.map((guide) => guide.at)).toEqual([100, 150, 200]);
  });

  it("reaches a fixed distance on screen: farther on the board when zoomed out", () => {
    const moved = { x: 210, y: 300, w: 40, h: 20 };
    expect(snapBox(moved, targets, atZoom(1))).toEqual({ dx: 0, dy: 0, guides: [] });
    expect(snapBox(moved, targets, atZoom(0.5)).dx).toBe(-10);
    expect(snapBox({ x: 204, y: 300, w: 40, h: 20 }, targets, atZoom(2)).dx).toBe(0);
  });

  it("snaps its top-left corner to the grid where no shape is near, and prefers shapes", () => {
    expect(snapBox({ x: 502, y: 731, w: 40, h: 20 }, targets, atZoom(1, 20))).toEqual({ dx: -2, dy: 9, guides: [] });
    // Near the target's right edge on x, only the grid on y.
    expect(snapBox({ x: 204, y: 731, w: 40, h: 20 }, targets, atZoom(1, 20))).toMatchObject({ dx: -4, dy: 9 });
  });

  it("finds its line among thousands", () => {
    const board = Array.from({ length: 2000 }, (_, i) => shape(`s${i}`, (i % 50) * 90, Math.floor(i / 50) * 70, 60, 40));
    const many = snapTargets(board, new Set(), { x: 0, y: 0, w: 5000, h: 5000 });
    expect(many.x).toHaveLength(6000);
    // x 90 * 7 + 60 = 690 is a right edge; y 70 * 3 = 210 a top.
    const snap = snapBox({ x: 693, y: 212, w: 10, h: 10 }, many, atZoom(1));
    expect([snap.dx, snap.dy]).toEqual([-3, -2]);
  });
});

describe("snapping a dragged corner", () => {
  it("puts the corner on a target's line, the guide spanning the stretched box", () => {
    const snap = snapPoint({ x: 97, y: 400 }, { x: 0, y: 350, w: 97, h: 50 }, targets, atZoom(1));
    expect(snap).toEqual({ dx: 3, dy: 0, guides: [{ axis: "x", at: 100, from: 100, to: 400 }] });
  });

  it("goes to the nearest grid point with the grid on", () => {
    expect(snapPoint({ x: 517, y: 488 }, { x: 0, y: 0, w: 517, h: 488 }, targets, atZoom(1, 20))).toEqual({ dx: 3, dy: -8, guides: [] });
  });
});

import { describe, expect, it } from "vitest";
import type { Shape } from "./model";
import { containsPoint, cornersOf, dragAngle, normalizedAngle, pivotOf, resizedRotated, rotatedAll, rotatedBounds, scaledRotated, selectionFrame, framePoint, SNAP_ANGLE } from "./rotate";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 100, h: 40, color: "#000000", text: "", points: [], z: 1, ...changes };
}

const QUARTER = Math.PI / 2;
const close = (value: number) => Math.round(value * 1000) / 1000 + 0; // + 0 turns -0 into 0

describe("a rotated shape's outline", () => {
  it("turns the box clockwise about its centre", () => {
    const corners = cornersOf(shape("a", { rotation: QUARTER })).map(({ x, y }) => [close(x), close(y)]);
    // The 100 by 40 box about (50, 20) stands up: its top-left corner goes to the top-right.
    expect(corners).toEqual([[70, -30], [70, 70], [30, 70], [30, -30]]);
  });

  it("has an upright box around its turned corners, and an ellipse's exact one", () => {
    const box = rotatedBounds(shape("a", { rotation: QUARTER }));
    expect([box.x, box.y, box.w, box.h].map(close)).toEqual([30, -30, 40, 100]);
    const eighth = rotatedBounds(shape("e", { type: "ellipse", w: 100, h: 100, rotation: Math.PI / 4 }));
    expect([eighth.x, eighth.y, eighth.w, eighth.h].map(close)).toEqual([0, 0, 100, 100]);
    expect(rotatedBounds(shape("plain"))).toEqual({ x: 0, y: 0, w: 100, h: 40 });
  });

  it("contains the points inside its turned box only", () => {
    const upright = shape("a", { rotation: QUARTER });
    expect(containsPoint(upright, { x: 50, y: -25 })).toBe(true);
    expect(containsPoint(upright, { x: 5, y: 20 })).toBe(false); // inside the unturned box
  });

  it("ignores a rotation on lines and arrows", () => {
    const line = shape("l", { type: "line", rotation: QUARTER });
    expect(rotatedBounds(line)).toEqual({ x: 0, y: 0, w: 100, h: 40 });
  });
});

describe("rotating a selection", () => {
  it("turns a lone shape in place", () => {
    const lone = shape("a");
    expect(pivotOf([lone])).toEqual({ x: 50, y: 20 });
    expect(rotatedAll([lone], { x: 50, y: 20 }, QUARTER)).toEqual({ a: { x: 0, y: 0, rotation: QUARTER } });
  });

  it("turns each shape's centre about the selection's, a line's ends with it, and frees an end bound elsewhere", () => {
    const a = shape("a", { x: 0, y: 0, w: 20, h: 20 });
    const b = shape("b", { x: 80, y: 0, w: 20, h: 20, rotation: QUARTER });
    const line = shape("l", { type: "line", x: 0, y: 50, w: 100, h: 0, endBinding: { shapeId: "elsewhere", anchor: { x: 0.5, y: 0.5 } } });
    const pivot = pivotOf([a, b, line])!;
    expect(pivot).toEqual({ x: 50, y: 25 });
    const changes = rotatedAll([a, b, line], pivot, Math.PI);
    expect(changes.a).toEqual({ x: 80, y: 30, rotation: Math.PI });
    expect(changes.b).toEqual({ x: 0, y: 30, rotation: -QUARTER });
    expect(changes.l).toEqual({ x: 100, y: 0, w: -100, h: 0, endBinding: null });
  });

  it("measures the turn of a drag about the pivot, snapping to 15 degrees with Shift", () => {
    const pivot = { x: 0, y: 0 };
    expect(dragAngle(pivot, { x: 0, y: -10 }, { x: 10, y: 0 }, false)).toBeCloseTo(QUARTER);
    const near = { x: Math.cos(0.3), y: Math.sin(0.3) };
    expect(dragAngle(pivot, { x: 1, y: 0 }, near, true)).toBeCloseTo(SNAP_ANGLE);
    // A lone shape at 10 degrees snaps to 15 degrees of its own, not of the drag.
    const ten = (10 * Math.PI) / 180;
    expect(ten + dragAngle(pivot, { x: 1, y: 0 }, { x: 1, y: 0.01 }, true, ten)).toBeCloseTo(SNAP_ANGLE);
  });

  it("keeps rotations within a half turn either way", () => {
    expect(normalizedAngle(3 * QUARTER)).toBeCloseTo(-QUARTER);
    expect(normalizedAngle(3 * QUARTER + 4 * Math.PI)).toBeCloseTo(-QUARTER);
    expect(normalizedAngle(-Math.PI)).toBeCloseTo(Math.PI);
  });
});

describe("resizing a rotated shape", () => {
  it("reads the drag along the shape's own axes and keeps its top-left corner", () => {
    const upright = shape("a", { rotation: QUARTER }); // its top-left corner is at (70, -30)
    // Dragging down on the board lengthens the turned box's width.
    const changes = resizedRotated(upright, 0, 50);
    expect(changes).toEqual({ x: -25, y: 25, w: 150, h: 40 });
    const corner = cornersOf({ ...upright, ...changes })[0];
    expect([close(corner.x), close(corner.y)]).toEqual([70, -30]);
  });

  it("scales a turned shape of a larger selection along its own sides", () => {
    const upright = shape("a", { rotation: QUARTER });
    // The selection's box doubles in width: the standing shape gets twice as wide on screen,
    // which is its own height, and its centre moves right.
    expect(scaledRotated(upright, { x: 0, y: -30, w: 100, h: 100 }, 2, 1)).toEqual({ x: 50, y: -20, w: 100, h: 80 });
  });
});

describe("the selection's frame", () => {
  it("is a lone shape's own turned box, else the upright box around several", () => {
    const lone = selectionFrame([shape("a", { rotation: QUARTER })])!;
    expect(lone).toEqual({ center: { x: 50, y: 20 }, w: 100, h: 40, angle: QUARTER });
    // The rotation handle stands above the turned top edge: to the right of the centre.
    const handle = framePoint(lone, 0.5, 0, 10);
    expect([close(handle.x), close(handle.y)]).toEqual([80, 20]);
    const several = selectionFrame([shape("a"), shape("b", { x: 200, y: 100 })])!;
    expect(several).toEqual({ center: { x: 150, y: 70 }, w: 300, h: 140, angle: 0 });
  });
});

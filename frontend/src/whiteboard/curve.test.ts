import { describe, expect, it } from "vitest";
import { curveBetween, curvePath, curvePoints, distanceToPath, pointOnCurve, pointsBounds } from "./curve";

const free = { start: null, end: null };

describe("curveBetween", () => {
  it("leaves two free ends along the axis they lie further apart on, a smooth elbow", () => {
    const curve = curveBetween({ x: 0, y: 0 }, { x: 200, y: 100 }, free);
    expect(curve.c1.y).toBe(0); // leaves horizontally...
    expect(curve.c1.x).toBeGreaterThan(0);
    expect(curve.c2.y).toBe(100); // ...and arrives horizontally
    expect(curve.c2.x).toBeLessThan(200);
    // Symmetric, so it passes through the middle of its ends.
    expect(pointOnCurve(curve, 0.5)).toEqual({ x: 100, y: 50 });
    const tall = curveBetween({ x: 0, y: 0 }, { x: 50, y: -300 }, free);
    expect(tall.c1.x).toBe(0);
    expect(tall.c1.y).toBeLessThan(0);
  });

  it("leaves each bound end along its exit direction", () => {
    const curve = curveBetween({ x: 0, y: 0 }, { x: 200, y: 0 }, { start: { x: 0, y: -1 }, end: { x: 0, y: -1 } });
    expect(curve.c1).toEqual({ x: 0, y: -80 });
    expect(curve.c2).toEqual({ x: 200, y: -80 });
    // Both ends leave upwards, so the curve bows above them.
    expect(pointOnCurve(curve, 0.5).y).toBeCloseTo(-60);
  });

  it("is a straight line between free ends on one axis", () => {
    const curve = curveBetween({ x: 0, y: 10 }, { x: 100, y: 10 }, free);
    for (const point of curvePoints(curve)) expect(point.y).toBe(10);
  });
});

describe("points along a curve", () => {
  const curve = curveBetween({ x: 0, y: 0 }, { x: 200, y: 0 }, { start: { x: 0, y: -1 }, end: { x: 0, y: -1 } });

  it("start and end at the curve's ends", () => {
    const points = curvePoints(curve, 8);
    expect(points).toHaveLength(9);
    expect(points[0]).toEqual({ x: 0, y: 0 });
    expect(points[8]).toEqual({ x: 200, y: 0 });
  });

  it("bound the bulge beyond the box of the ends", () => {
    const box = pointsBounds(curvePoints(curve));
    expect(box.x).toBe(0);
    expect(box.w).toBe(200);
    expect(box.y).toBeCloseTo(-60);
    expect(box.h).toBeCloseTo(60);
  });

  it("give SVG path data for the cubic", () => {
    expect(curvePath(curve)).toBe("M0 0 C0 -80 200 -80 200 0");
  });
});

describe("distanceToPath", () => {
  it("measures to the nearest segment", () => {
    const path = [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 100 }];
    expect(distanceToPath({ x: 50, y: 10 }, path)).toBe(10);
    expect(distanceToPath({ x: 120, y: 50 }, path)).toBe(20);
    expect(distanceToPath({ x: -30, y: -40 }, path)).toBe(50);
    expect(distanceToPath({ x: 3, y: 4 }, [{ x: 0, y: 0 }])).toBe(5);
  });

  it("follows a curve rather than the line between its ends", () => {
    const curve = curveBetween({ x: 0, y: 0 }, { x: 200, y: 0 }, { start: { x: 0, y: -1 }, end: { x: 0, y: -1 } });
    const points = curvePoints(curve);
    expect(distanceToPath(pointOnCurve(curve, 0.3), points)).toBeLessThan(0.5);
    expect(distanceToPath({ x: 100, y: 0 }, points)).toBeCloseTo(60, 0);
  });
});

import { describe, expect, it } from "vitest";
import { bindingAt, connectorEnds, endRebound, labelPoint, movedWithConnectors, outlinePoint, routePoints, unbindFrom, withConnectorsRouted } from "./connector";
import type { Shape } from "./model";
import { copiesOf } from "./selection";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 100, h: 50, color: "#000000", text: "", points: [], z: 1, ...changes };
}

const left = shape("left", { x: 0, y: 0, w: 100, h: 50 });
const right = shape("right", { x: 300, y: 0, w: 100, h: 50, z: 2 });
const arrow = shape("arrow", {
  type: "arrow",
  x: 50,
  y: 25,
  w: 300,
  h: 0,
  z: 3,
  startBinding: { shapeId: "left", anchor: { x: 0.5, y: 0.5 } },
  endBinding: { shapeId: "right", anchor: { x: 0.5, y: 0.5 } },
});

describe("bindingAt", () => {
  it("binds to the topmost bindable shape under the point, with a normalized anchor", () => {
    const under = shape("under", { x: 0, y: 0, w: 200, h: 200 });
    const over = shape("over", { x: 100, y: 100, w: 100, h: 100, z: 2 });
    expect(bindingAt({ x: 150, y: 125 }, [under, over])).toEqual({ shapeId: "over", anchor: { x: 0.5, y: 0.25 } });
    expect(bindingAt({ x: 150, y: 125 }, [under, over], "over")).toEqual({ shapeId: "under", anchor: { x: 0.75, y: 0.625 } });
    expect(bindingAt({ x: 500, y: 500 }, [under, over])).toBeNull();
    // A pen stroke or another line is no place to bind.
    expect(bindingAt({ x: 5, y: 5 }, [shape("pen", { type: "pen", points: [0, 0, 10, 10] })])).toBeNull();
  });
});

describe("outlinePoint", () => {
  it("leaves a box through its side and an ellipse on its curve", () => {
    expect(outlinePoint(left, { x: 75, y: 25 }, { x: 0, y: 0 })).toEqual({ x: 100, y: 25 });
    expect(outlinePoint(left, { x: 50, y: 0 }, { x: 0, y: 0 })).toEqual({ x: 50, y: 0 });
    const ellipse = shape("e", { type: "ellipse", x: 0, y: 0, w: 200, h: 100 });
    const point = outlinePoint(ellipse, { x: 150, y: 75 }, { x: 0, y: 0 });
    expect(((point.x - 100) / 100) ** 2 + ((point.y - 50) / 50) ** 2).toBeCloseTo(1);
  });

  it("aims an anchor at the centre toward the other end", () => {
    expect(outlinePoint(left, { x: 50, y: 25 }, { x: 500, y: 25 })).toEqual({ x: 100, y: 25 });
  });
});

describe("connectorEnds", () => {
  it("puts each bound end on its shape's outline, following the shape wherever it moved", () => {
    const byId = new Map([left, right].map((s) => [s.id, s]));
    expect(connectorEnds(arrow, byId)).toEqual({ start: { x: 100, y: 25 }, end: { x: 300, y: 25 } });
    const moved = shape("right", { x: 300, y: 200, w: 100, h: 50 });
    const { end } = connectorEnds(arrow, new Map([left, moved].map((s) => [s.id, s])));
    // On the moved box's outline: on its top side, between its corners.
    expect(end.y).toBeCloseTo(200);
    expect(end.x).toBeGreaterThanOrEqual(300);
    expect(end.x).toBeLessThanOrEqual(400);
  });

  it("keeps a free end, or one whose shape is gone, where it is stored", () => {
    const line = shape("line", { type: "line", x: 10, y: 20, w: 30, h: 40 });
    expect(connectorEnds(line, new Map())).toEqual({ start: { x: 10, y: 20 }, end: { x: 40, y: 60 } });
    expect(connectorEnds(arrow, new Map([["left", left]])).end).toEqual({ x: 350, y: 25 });
  });

  it("routes bound connectors for drawing and leaves old boards as they are", () => {
    const old = [left, shape("old", { type: "arrow", x: 1, y: 2, w: 3, h: 4 })];
    expect(withConnectorsRouted(old)).toBe(old);
    const routed = withConnectorsRouted([left, right, arrow]).find((s) => s.id === "arrow")!;
    expect([routed.x, routed.y, routed.w, routed.h]).toEqual([100, 25, 200, 0]);
  });
});

describe("routes and labels", () => {
  it("routes an elbow along the longer axis and labels the middle of the path", () => {
    const ends = { start: { x: 0, y: 0 }, end: { x: 100, y: 40 } };
    expect(routePoints(shape("s", { type: "line" }), ends)).toEqual([ends.start, ends.end]);
    const elbow = routePoints(shape("s", { type: "line", route: "elbow" }), ends);
    expect(elbow).toEqual([{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 50, y: 40 }, { x: 100, y: 40 }]);
    expect(labelPoint(elbow)).toEqual({ x: 50, y: 20 });
    expect(labelPoint([ends.start, ends.end])).toEqual({ x: 50, y: 20 });
  });
});

describe("unbinding", () => {
  it("frees the ends bound to deleted shapes where they were drawn", () => {
    expect(unbindFrom([left, right, arrow], ["right"])).toEqual({ arrow: { x: 100, y: 25, w: 200, h: 0, endBinding: null } });
    expect(unbindFrom([left, right, arrow], ["arrow"])).toEqual({});
  });

  it("binds a copied connector to the copies of its shapes, freeing the other ends", () => {
    let next = 0;
    const newId = () => `copy${++next}`;
    const [, arrowCopy] = copiesOf([left, arrow], 20, 10, newId);
    expect(arrowCopy.startBinding).toEqual({ shapeId: "copy1", anchor: { x: 0.5, y: 0.5 } });
    expect(arrowCopy.endBinding).toBeUndefined();
  });
});

describe("moving and resizing connectors", () => {
  it("frees a moved connector from the shapes that stay, and keeps it bound to those that move", () => {
    expect(movedWithConnectors([arrow], 10, 0)).toEqual({ arrow: { x: 60, y: 25, startBinding: null, endBinding: null } });
    expect(movedWithConnectors([left, arrow], 10, 0)).toEqual({ left: { x: 10, y: 0 }, arrow: { x: 60, y: 25, endBinding: null } });
  });

  it("binds a line's dragged end to the shape it is dropped on, and frees it elsewhere", () => {
    const line = shape("line", { type: "line", x: 120, y: 25, w: 50, h: 0, z: 3 });
    expect(endRebound(line, { line: { w: 230, h: 0 } }, [left, right, line])).toEqual({ line: { w: 230, h: 0, endBinding: { shapeId: "right", anchor: { x: 0.5, y: 0.5 } } } });
    expect(endRebound(line, { line: { w: 60, h: 0 } }, [left, right, line])).toEqual({ line: { w: 60, h: 0 } });
    expect(endRebound(arrow, { arrow: { w: 100, h: 300 } }, [left, right, arrow])).toEqual({ arrow: { w: 100, h: 300, endBinding: null } });
  });
});

describe("connectors on rotated shapes", () => {
  // A 100 by 50 box about (50, 25), turned a quarter: it stands from x 25 to 75, y -25 to 75.
  const standing = shape("standing", { rotation: Math.PI / 2 });
  const close = (point: { x: number; y: number }) => ({ x: Math.round(point.x * 1000) / 1000 + 0, y: Math.round(point.y * 1000) / 1000 + 0 });

  it("binds where the shape is drawn, the anchor in its own box", () => {
    expect(bindingAt({ x: 50, y: -20 }, [standing])).toEqual({ shapeId: "standing", anchor: { x: expect.closeTo(0.05), y: expect.closeTo(0.5) } });
    expect(bindingAt({ x: 5, y: 25 }, [standing])).toBeNull(); // inside the unturned box only
  });

  it("lands a bound end on the turned outline of a box and of an ellipse", () => {
    // Aimed straight up from the centre: the turned box's short side is now its top.
    expect(close(outlinePoint(standing, { x: 50, y: 0 }, { x: 0, y: 0 }))).toEqual({ x: 50, y: -25 });
    expect(close(outlinePoint(standing, { x: 100, y: 25 }, { x: 0, y: 0 }))).toEqual({ x: 75, y: 25 });
    const oval = { ...standing, type: "ellipse" as const };
    expect(close(outlinePoint(oval, { x: 50, y: 0 }, { x: 0, y: 0 }))).toEqual({ x: 50, y: -25 });
    // An anchor of the box keeps its place on the shape as it turns.
    const arrowIn = shape("in", { type: "arrow", x: 200, y: -100, w: -150, h: 75, endBinding: { shapeId: "standing", anchor: { x: 0, y: 0.5 } } });
    const ends = connectorEnds(arrowIn, new Map([["standing", standing]]));
    expect(close(ends.end)).toEqual({ x: 50, y: -25 });
  });
});

import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addShape, allShapes, shapesOf, updateShape, type Shape } from "./model";
import { shapeCache } from "./shape-cache";

function rect(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 10, h: 10, color: "#000", text: "", points: [], z: 0, ...changes };
}

function board(...shapes: Shape[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => shapes.forEach((shape) => addShape(doc, shape)));
  return doc;
}

describe("shapeCache", () => {
  it("holds the stored shapes in allShapes' order", () => {
    const doc = board(rect("b", { z: 2 }), rect("a", { z: 2 }), rect("c", { z: 1 }));
    expect(shapeCache(shapesOf(doc)).ordered()).toEqual(allShapes(doc));
  });

  it("follows additions, changes and removals, local or from another replica", () => {
    const doc = board(rect("a"), rect("b"));
    const cache = shapeCache(shapesOf(doc));
    const untouched = cache.get("b");
    updateShape(doc, "a", { x: 40 });
    expect(cache.get("a")?.x).toBe(40);
    expect(cache.get("b")).toBe(untouched);

    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.transact(() => {
      addShape(other, rect("c", { z: 3 }));
      shapesOf(other).delete("b");
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(cache.ordered().map((shape) => shape.id)).toEqual(["a", "c"]);
    expect(cache.ordered()).toEqual(allShapes(doc));
  });

  it("routes a bound connector to where its shape moved", () => {
    const arrow = rect("arrow", { type: "arrow", x: 0, y: 0, w: 100, h: 0, z: 1, endBinding: { shapeId: "box", anchor: { x: 0.5, y: 0.5 } } });
    const doc = board(rect("box", { x: 200, y: -50, w: 100, h: 100 }), arrow);
    const cache = shapeCache(shapesOf(doc));
    const end = () => {
      const routed = cache.routed().find((shape) => shape.id === "arrow")!;
      return routed.x + routed.w;
    };
    expect(end()).toBe(200);
    updateShape(doc, "box", { x: 300 });
    expect(end()).toBe(300);
  });

  it("keeps a routed connector's object while neither it nor its shapes moved", () => {
    const arrow = rect("arrow", { type: "arrow", w: 100, z: 1, endBinding: { shapeId: "box", anchor: { x: 0.5, y: 0.5 } } });
    const doc = board(rect("box", { x: 200, w: 100, h: 100 }), arrow, rect("other", { x: 500 }));
    const cache = shapeCache(shapesOf(doc));
    const routedArrow = () => cache.routed().find((shape) => shape.id === "arrow");
    const first = routedArrow();
    updateShape(doc, "other", { x: 600 });
    expect(routedArrow()).toBe(first);
    updateShape(doc, "box", { y: 50 });
    expect(routedArrow()).not.toBe(first);
  });

  it("skips a value that is not a shape", () => {
    const doc = board(rect("a"));
    const cache = shapeCache(shapesOf(doc));
    (shapesOf(doc) as Y.Map<unknown>).set("junk", 5);
    expect(cache.ordered().map((shape) => shape.id)).toEqual(["a"]);
  });
});

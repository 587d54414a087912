import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addShape, allShapes, bounds, COLORS, DEFAULT_STYLE, readShape, shapesOf, styleOf, updateShape, type Shape } from "./model";

function shape(changes: Partial<Shape> = {}): Shape {
  return { id: "a", type: "rect", x: 10, y: 20, w: 30, h: 40, color: "#e03131", text: "", points: [], z: 1, ...changes };
}

function syncBoth(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe("readShape", () => {
  it("reads back what addShape stored, keyed by the map's id rather than a stored field", () => {
    const doc = new Y.Doc();
    const stored = shape({ type: "pen", points: [0, 0, 5, 6], text: "hi" });
    const map = addShape(doc, stored);
    expect(map.has("id")).toBe(false);
    expect(readShape("a", map)).toEqual(stored);
  });

  it("is null for a map without a type (a shape half-written by a peer)", () => {
    const doc = new Y.Doc();
    const map = new Y.Map<unknown>();
    shapesOf(doc).set("x", map);
    map.set("x", 5);
    expect(readShape("x", map)).toBeNull();
  });

  it("replaces missing or malformed fields with safe defaults", () => {
    const doc = new Y.Doc();
    const map = new Y.Map<unknown>();
    shapesOf(doc).set("b", map);
    map.set("type", "ellipse");
    map.set("x", "12");
    map.set("y", Infinity);
    map.set("w", NaN);
    map.set("color", 7);
    map.set("text", null);
    map.set("points", [1, "2", 3, null]);
    expect(readShape("b", map)).toEqual({ id: "b", type: "ellipse", x: 0, y: 0, w: 0, h: 0, color: COLORS[0], text: "", points: [1, 3], z: 0 });
  });
});

describe("allShapes", () => {
  it("orders by z, then by id so that every peer draws the same stacking", () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      addShape(doc, shape({ id: "top", z: 3 }));
      addShape(doc, shape({ id: "b", z: 1 }));
      addShape(doc, shape({ id: "a", z: 1 }));
    });
    expect(allShapes(doc).map((s) => s.id)).toEqual(["a", "b", "top"]);
  });

  it("skips entries that are not shape maps", () => {
    const doc = new Y.Doc();
    addShape(doc, shape({ id: "ok" }));
    (shapesOf(doc) as Y.Map<unknown>).set("junk", "not a map");
    shapesOf(doc).set("untyped", new Y.Map());
    expect(allShapes(doc).map((s) => s.id)).toEqual(["ok"]);
  });
});

describe("updateShape", () => {
  it("changes only the given properties", () => {
    const doc = new Y.Doc();
    addShape(doc, shape());
    updateShape(doc, "a", { x: 99, color: "#2f6fdf" });
    expect(allShapes(doc)[0]).toEqual(shape({ x: 99, color: "#2f6fdf" }));
  });

  it("writes nothing when the values are unchanged (no needless updates go out)", () => {
    const doc = new Y.Doc();
    addShape(doc, shape());
    let updates = 0;
    doc.on("update", () => updates++);
    updateShape(doc, "a", { x: 10, y: 20, color: "#e03131" });
    expect(updates).toBe(0);
    updateShape(doc, "a", { x: 11 });
    expect(updates).toBe(1);
  });

  it("ignores a shape that was deleted meanwhile instead of recreating it", () => {
    const doc = new Y.Doc();
    updateShape(doc, "gone", { x: 1 });
    expect(shapesOf(doc).size).toBe(0);
  });

  it("keeps both of two concurrent edits to different properties of one shape", () => {
    const ana = new Y.Doc();
    const ben = new Y.Doc();
    addShape(ana, shape());
    syncBoth(ana, ben);
    updateShape(ana, "a", { x: 500 });
    updateShape(ben, "a", { color: "#2b8a3e" });
    syncBoth(ana, ben);
    expect(allShapes(ana)).toEqual([shape({ x: 500, color: "#2b8a3e" })]);
    expect(allShapes(ben)).toEqual(allShapes(ana));
  });
});

describe("bounds", () => {
  it("is the box itself for a box drawn left to right, top to bottom", () => {
    expect(bounds(shape())).toEqual({ x: 10, y: 20, w: 30, h: 40 });
  });

  it("normalises a box or line drawn towards the top left", () => {
    expect(bounds(shape({ type: "line", x: 100, y: 50, w: -60, h: -20 }))).toEqual({ x: 40, y: 30, w: 60, h: 20 });
  });

  it("covers a pen stroke's points, which are relative to its origin", () => {
    const stroke = shape({ type: "pen", x: 100, y: 100, w: 0, h: 0, points: [0, 0, -10, 5, 20, -15] });
    expect(bounds(stroke)).toEqual({ x: 90, y: 85, w: 30, h: 20 });
  });

  it("falls back to the box for a pen stroke without points", () => {
    expect(bounds(shape({ type: "pen", points: [] }))).toEqual({ x: 10, y: 20, w: 30, h: 40 });
  });
});

describe("style", () => {
  it("reads a board made before styles without style fields, drawn with the defaults", () => {
    const doc = new Y.Doc();
    const old = readShape("a", addShape(doc, shape()))!;
    expect(Object.keys(old)).not.toContain("strokeWidth");
    expect(styleOf(old)).toEqual({ ...DEFAULT_STYLE, color: "#e03131" });
  });

  it("reads back a stored style and drops values out of range", () => {
    const doc = new Y.Doc();
    const styled = shape({ strokeWidth: 8, dash: "dotted", fill: "#a5d8ff", opacity: 0.4 });
    expect(readShape("a", addShape(doc, styled))).toEqual(styled);
    const map = addShape(doc, shape({ id: "b" }));
    map.set("strokeWidth", -3);
    map.set("dash", "wavy");
    map.set("opacity", 7);
    expect(styleOf(readShape("b", map)!)).toEqual({ ...DEFAULT_STYLE, color: "#e03131" });
  });
});

describe("transform fields", () => {
  it("reads back rotation, group and lock, and drops invalid ones", () => {
    const doc = new Y.Doc();
    const turned = shape({ rotation: 0.5, groupId: "g1", locked: true });
    expect(readShape("a", addShape(doc, turned))).toEqual(turned);
    const map = addShape(doc, shape({ id: "b" }));
    map.set("rotation", "0.5");
    map.set("groupId", "");
    map.set("locked", "yes");
    expect(readShape("b", map)).toEqual(shape({ id: "b" }));
    // A null group (not what the app writes) is no group; a line never turns.
    map.set("groupId", null);
    const line = addShape(doc, shape({ id: "c", type: "line", rotation: 1 }));
    expect(readShape("b", map)).toEqual(shape({ id: "b" }));
    expect(readShape("c", line)!.rotation).toBeUndefined();
  });
});

describe("removing a field", () => {
  it("deletes a field changed to undefined, so it reads as its default (ungrouping)", () => {
    const doc = new Y.Doc();
    const map = addShape(doc, shape({ groupId: "g" }));
    updateShape(doc, "a", { groupId: undefined });
    expect(map.has("groupId")).toBe(false);
    expect(readShape("a", map)).toEqual(shape());
  });
});

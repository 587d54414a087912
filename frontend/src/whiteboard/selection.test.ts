import { describe, expect, it } from "vitest";
import { MIN_BOX_SIZE } from "./geometry";
import type { Shape } from "./model";
import { boxBetween, copiesOf, movedAll, resizedAll, restacked, selectionBounds, shapesInBox, toggled } from "./selection";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 100, y: 100, w: 80, h: 60, color: "#1b2230", text: "", points: [], z: 1, ...changes };
}

describe("selection bounds and marquee", () => {
  it("spans every shape, however each was drawn", () => {
    const shapes = [shape("a"), shape("b", { x: 300, y: 260, w: -40, h: -20 })];
    expect(selectionBounds(shapes)).toEqual({ x: 100, y: 100, w: 200, h: 160 });
    expect(selectionBounds([])).toBeNull();
  });

  it("normalises a marquee dragged up and left", () => {
    expect(boxBetween({ x: 50, y: 40 }, { x: 10, y: 0 })).toEqual({ x: 10, y: 0, w: 40, h: 40 });
  });

  it("catches the shapes lying wholly inside, not those it only crosses", () => {
    const shapes = [shape("inside"), shape("crossed", { x: 150 })];
    expect(shapesInBox(shapes, { x: 90, y: 90, w: 100, h: 100 })).toEqual(["inside"]);
  });

  it("toggles a shape in and out of the selection", () => {
    expect(toggled(["a"], "b")).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "a")).toEqual(["b"]);
  });
});

describe("movedAll", () => {
  it("offsets every start position and rounds to whole units", () => {
    expect(movedAll([shape("a"), shape("b", { x: 0 })], 10.4, -20.6)).toEqual({ a: { x: 110, y: 79 }, b: { x: 10, y: 79 } });
  });
});

describe("resizedAll", () => {
  it("grows a single box from its top left corner", () => {
    expect(resizedAll([shape("s")], 20, 10)).toEqual({ s: { x: 100, y: 100, w: 100, h: 70 } });
  });

  it("never shrinks a box below the minimum size", () => {
    expect(resizedAll([shape("s")], -500, -59)).toEqual({ s: { x: 100, y: 100, w: MIN_BOX_SIZE, h: MIN_BOX_SIZE } });
  });

  it("normalises a box drawn right to left, so its handle stays at the bottom right", () => {
    expect(resizedAll([shape("s", { x: 180, y: 160, w: -80, h: -60 })], 20, 10)).toEqual({ s: { x: 100, y: 100, w: 100, h: 70 } });
  });

  it("moves only the end of a single line, which may cross its start", () => {
    expect(resizedAll([shape("s", { type: "arrow", w: 50, h: 0 })], -80, 30)).toEqual({ s: { w: -30, h: 30 } });
  });

  it("scales several shapes with their box: positions and sizes, and a pen's points", () => {
    const shapes = [shape("a", { x: 0, y: 0, w: 50, h: 50 }), shape("p", { type: "pen", x: 50, y: 50, points: [0, 0, 50, 50] })];
    expect(resizedAll(shapes, 100, 100)).toEqual({
      a: { x: 0, y: 0, w: 100, h: 100 },
      p: { x: 100, y: 100, w: 80, h: 60, points: [0, 0, 100, 100] },
    });
  });
});

describe("copiesOf", () => {
  it("gives new ids, the offset and places above the board, keeping the copies' order", () => {
    let next = 0;
    const copies = copiesOf([shape("top", { z: 9 }), shape("bottom", { z: 2 })], 20, 50, () => `n${++next}`);
    expect(copies.map((copy) => [copy.id, copy.x, copy.z])).toEqual([
      ["n1", 120, 51],
      ["n2", 120, 52],
    ]);
  });
});

describe("restacked", () => {
  const board = [shape("a", { z: 1 }), shape("b", { z: 2 }), shape("c", { z: 3 }), shape("d", { z: 4 })];
  const order = (changes: Record<string, Partial<Shape>>) =>
    board.map((s) => ({ id: s.id, z: changes[s.id]?.z ?? s.z })).sort((x, y) => x.z - y.z).map((s) => s.id);

  it("brings the selection one step forward, over the next shape it does not hold", () => {
    expect(order(restacked(board, ["a", "b"], "forward"))).toEqual(["c", "a", "b", "d"]);
    expect(order(restacked(board, ["d"], "forward"))).toEqual(["a", "b", "c", "d"]);
  });

  it("sends the selection one step back", () => {
    expect(order(restacked(board, ["c"], "back"))).toEqual(["a", "c", "b", "d"]);
    expect(order(restacked(board, ["a", "d"], "back"))).toEqual(["a", "b", "d", "c"]);
  });
});

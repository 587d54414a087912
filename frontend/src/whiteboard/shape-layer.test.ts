import { describe, expect, it } from "vitest";
import type { Shape } from "./model";
import { shapeLayer, type Children } from "./shape-layer";

interface Drawn {
  id: string;
  x: number;
}

/** A parent as a list, counting the moves made to it. */
function listChildren(): Children<Drawn> & { items: Drawn[]; moves: number } {
  const parent = {
    items: [] as Drawn[],
    moves: 0,
    list: () => [...parent.items],
    insertBefore(element: Drawn, before: Drawn | null) {
      parent.moves += 1;
      parent.items = parent.items.filter((item) => item !== element);
      const at = before ? parent.items.indexOf(before) : parent.items.length;
      parent.items.splice(at, 0, element);
    },
    remove(element: Drawn) {
      parent.items = parent.items.filter((item) => item !== element);
    },
  };
  return parent;
}

function rect(id: string, x = 0): Shape {
  return { id, type: "rect", x, y: 0, w: 10, h: 10, color: "#000", text: "", points: [], z: 0 };
}

function setUp() {
  const parent = listChildren();
  let renders = 0;
  const layer = shapeLayer(parent, (shape) => {
    renders += 1;
    return { id: shape.id, x: shape.x };
  });
  return { parent, layer, renders: () => renders };
}

const always = () => true;
const ids = (items: Drawn[]) => items.map((item) => item.id);

describe("shapeLayer", () => {
  it("draws each shape once and draws only a changed one again", () => {
    const { parent, layer, renders } = setUp();
    layer.draw([rect("a"), rect("b"), rect("c")], always);
    expect(renders()).toBe(3);
    const before = parent.items[0];
    layer.draw([rect("a"), rect("b", 30), rect("c")], always);
    expect(renders()).toBe(4);
    expect(parent.items[0]).toBe(before);
    expect(parent.items.map((item) => item.x)).toEqual([0, 30, 0]);
  });

  it("draws a shape again when any of its fields changes", () => {
    const { layer, renders } = setUp();
    layer.draw([rect("a")], always);
    const changes: Partial<Shape>[] = [{ rotation: 0.5 }, { groupId: "g1" }, { locked: true }, { text: "label" }, { strokeWidth: 4 }];
    changes.forEach((change, i) => {
      layer.draw([{ ...rect("a"), ...change }], always);
      expect(renders()).toBe(2 + i * 2);
      layer.draw([rect("a")], always);
    });
  });

  it("puts the children in the shapes' order whatever moved", () => {
    const orders = [
      ["b", "a", "c"],
      ["c", "a", "b"],
      ["a", "c", "b"],
      ["c", "b", "a"],
      ["b", "c", "a"],
    ];
    for (const order of orders) {
      const { parent, layer } = setUp();
      layer.draw(["a", "b", "c"].map((id) => rect(id)), always);
      layer.draw(order.map((id) => rect(id)), always);
      expect(ids(parent.items)).toEqual(order);
    }
  });

  it("keeps the elements in place when nothing moved", () => {
    const { parent, layer } = setUp();
    layer.draw([rect("a"), rect("b")], always);
    const moves = parent.moves;
    layer.draw([rect("a"), rect("b")], always);
    expect(parent.moves).toBe(moves);
  });

  it("removes shapes out of the list and draws nothing again when they come back", () => {
    const { parent, layer, renders } = setUp();
    layer.draw([rect("a"), rect("b"), rect("c")], always);
    layer.draw([rect("a"), rect("c")], always);
    expect(ids(parent.items)).toEqual(["a", "c"]);
    layer.draw([rect("a"), rect("b"), rect("c")], always);
    expect(ids(parent.items)).toEqual(["a", "b", "c"]);
    expect(renders()).toBe(3);
  });

  it("forgets a deleted shape's element", () => {
    const { layer, renders } = setUp();
    layer.draw([rect("a"), rect("b")], always);
    layer.draw([rect("a")], (id) => id !== "b");
    layer.draw([rect("a"), rect("b")], always);
    expect(renders()).toBe(3);
  });
});

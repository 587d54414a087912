import { describe, expect, it } from "vitest";
import { grouped, groupOf, regrouped, ungrouped, withGroups } from "./groups";
import type { Shape } from "./model";
import { copiesOf } from "./selection";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 10, h: 10, color: "#000000", text: "", points: [], z: 1, ...changes };
}

const board = [shape("a", { groupId: "g" }), shape("b", { groupId: "g" }), shape("c"), shape("d", { groupId: "h" }), shape("e", { groupId: "h" })];

describe("groups", () => {
  it("finds a shape's whole group, or the shape alone", () => {
    expect(groupOf(board, "b")).toEqual(["a", "b"]);
    expect(groupOf(board, "c")).toEqual(["c"]);
  });

  it("widens a selection to the whole of each group it touches", () => {
    expect(withGroups(board, ["b", "c"])).toEqual(["b", "c", "a"]);
    expect(withGroups(board, ["c"])).toEqual(["c"]);
  });

  it("groups two or more shapes under one new id, regrouping shapes already grouped", () => {
    expect(grouped([board[0], board[2]], "new")).toEqual({ a: { groupId: "new" }, c: { groupId: "new" } });
    expect(grouped([board[2]], "new")).toEqual({});
  });

  it("ungroups only the grouped shapes of a selection", () => {
    expect(ungrouped(board.slice(0, 3))).toStrictEqual({ a: { groupId: undefined }, b: { groupId: undefined } });
  });

  it("gives copied groups new ids and frees a copy copied without its group", () => {
    let next = 0;
    const copies = regrouped([board[0], board[1], board[3]], () => `n${++next}`);
    expect(copies.map((copy) => copy.groupId)).toEqual(["n1", "n1", undefined]);
    expect("groupId" in copies[2]).toBe(false);
  });

  it("pastes and duplicates a group as a new group of new shapes, unlocked", () => {
    let next = 0;
    const copies = copiesOf([shape("a", { groupId: "g", locked: true }), shape("b", { groupId: "g", z: 2 })], 20, 5, () => `n${++next}`);
    expect(copies.map(({ id, groupId, locked, z }) => ({ id, groupId, locked, z }))).toEqual([
      { id: "n1", groupId: "n3", locked: undefined, z: 6 },
      { id: "n2", groupId: "n3", locked: undefined, z: 7 },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { lockedAt, lockToggled, unlocked, unlockedAll } from "./lock";
import type { Shape } from "./model";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 100, h: 100, color: "#000000", text: "", points: [], z: 1, ...changes };
}

describe("locking", () => {
  it("leaves the locked shapes out of what may change", () => {
    expect(unlocked([shape("a", { locked: true }), shape("b")]).map((s) => s.id)).toEqual(["b"]);
  });

  it("locks a selection, and unlocks it once all of it is locked", () => {
    expect(lockToggled([shape("a", { locked: true }), shape("b")])).toEqual({ b: { locked: true } });
    expect(lockToggled([shape("a", { locked: true }), shape("b", { locked: true })])).toEqual({ a: { locked: false }, b: { locked: false } });
    expect(lockToggled([])).toEqual({});
  });

  it("unlocks every locked shape, or the ones asked for", () => {
    const board = [shape("a", { locked: true }), shape("b"), shape("c", { locked: true })];
    expect(unlockedAll(board)).toEqual({ a: { locked: false }, c: { locked: false } });
    expect(unlockedAll(board, ["c", "b"])).toEqual({ c: { locked: false } });
  });

  it("finds the topmost locked shape under the pointer, rotated ones as drawn", () => {
    const board = [shape("under", { locked: true }), shape("over", { x: 50, locked: true, z: 2 }), shape("free", { x: 300 })];
    expect(lockedAt({ x: 60, y: 50 }, board)?.id).toBe("over");
    expect(lockedAt({ x: 20, y: 50 }, board)?.id).toBe("under");
    expect(lockedAt({ x: 320, y: 50 }, board)).toBeNull();
    const tall = shape("tall", { w: 200, h: 20, rotation: Math.PI / 2, locked: true }); // stands from y -90 to 110
    expect(lockedAt({ x: 100, y: -80 }, [tall])?.id).toBe("tall");
    expect(lockedAt({ x: 10, y: 10 }, [tall])).toBeNull();
  });
});

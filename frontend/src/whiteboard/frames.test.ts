import { describe, expect, it } from "vitest";
import { adoptedBy, clippingFrame, drawOrder, membershipAfterMove, movingWith, newFrameTitle, reframed, releasedFrom, withFrameMembers, withoutMissingFrames } from "./frames";
import { shapeFrom, type Shape } from "./model";
import { copiesOf } from "./selection";

function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 10, h: 10, color: "#000000", text: "", points: [], z: 1, ...changes };
}
const frame = (id: string, changes: Partial<Shape> = {}) => shape(id, { type: "frame", x: 0, y: 0, w: 200, h: 100, text: id, ...changes });

describe("frame fields", () => {
  it("reads frameId on shapes but not on frames, and an image's id and alt text", () => {
    const stored: Record<string, unknown> = { type: "rect", frameId: "f" };
    expect(shapeFrom("a", (key) => stored[key])?.frameId).toBe("f");
    const nested: Record<string, unknown> = { type: "frame", frameId: "f" };
    expect(shapeFrom("b", (key) => nested[key])?.frameId).toBeUndefined();
    const left: Record<string, unknown> = { type: "rect", frameId: null };
    expect(shapeFrom("c", (key) => left[key])?.frameId).toBeUndefined();
    const image: Record<string, unknown> = { type: "image", imageId: "img-1", alt: "A chart" };
    expect(shapeFrom("d", (key) => image[key])).toMatchObject({ type: "image", imageId: "img-1", alt: "A chart" });
    const bare: Record<string, unknown> = { type: "image", alt: 4 };
    const read = shapeFrom("e", (key) => bare[key]);
    expect(read?.alt).toBe("");
    expect(read && "imageId" in read).toBe(false);
  });
});

describe("drawing frames", () => {
  it("numbers new frames and draws every frame under the other shapes", () => {
    const board = [shape("low", { z: 1 }), frame("f", { z: 5 }), shape("high", { z: 9 })];
    expect(newFrameTitle(board)).toBe("Frame 2");
    expect(drawOrder(board).map((one) => one.id)).toEqual(["f", "low", "high"]);
  });

  it("clips a shape to its frame while that frame is on the board", () => {
    const frames = new Map([["f", frame("f")]]);
    expect(clippingFrame(shape("a", { frameId: "f" }), frames)?.id).toBe("f");
    expect(clippingFrame(shape("b", { frameId: "gone" }), frames)).toBeNull();
    expect(clippingFrame(shape("c"), frames)).toBeNull();
  });

  it("a frame drawn around shapes takes in those wholly inside, not those it crosses", () => {
    const board = [shape("inside", { x: 20, y: 20 }), shape("crossing", { x: 195, y: 20 }), shape("held", { x: 40, y: 40, frameId: "old" }), frame("other", { x: 10, y: 10, w: 20, h: 20 })];
    expect(adoptedBy(frame("new"), board)).toEqual({ inside: { frameId: "new" }, held: { frameId: "new" } });
  });
});

describe("moving with frames", () => {
  it("a selected frame brings its shapes along; other shapes stay", () => {
    const board = [frame("f"), shape("a", { frameId: "f" }), shape("b", { frameId: "f" }), shape("free"), shape("elsewhere", { frameId: "g" })];
    expect(withFrameMembers(board, ["f"]).map((one) => one.id)).toEqual(["f", "a", "b"]);
    expect(withFrameMembers(board, ["a"]).map((one) => one.id)).toEqual(["a"]);
  });

  it("a moved frame takes its members' groups along and leaves locked shapes where they are", () => {
    const board = [frame("f"), shape("in", { frameId: "f", groupId: "g" }), shape("partner", { x: 300, groupId: "g" }), shape("pinned", { frameId: "f", locked: true }), shape("other", { x: 500 })];
    expect(movingWith(board, ["f"]).map((one) => one.id)).toEqual(["f", "in", "partner"]);
    // A locked frame stays, and so do its shapes.
    const locked = [frame("f", { locked: true }), shape("in", { frameId: "f" })];
    expect(movingWith(locked, ["f"])).toEqual([]);
  });

  it("a shape dropped wholly inside a frame joins it, the topmost of two", () => {
    const board = [frame("under", { w: 400, h: 400, z: 1 }), frame("over", { w: 100, h: 100, z: 2 }), shape("a", { x: 20, y: 20 }), shape("b", { x: 300, y: 300 })];
    expect(membershipAfterMove(board, ["a", "b"])).toEqual({ a: { frameId: "over" }, b: { frameId: "under" } });
  });

  it("a member dragged wholly out leaves; one across the edge stays (clipped)", () => {
    const board = [frame("f"), shape("out", { x: 300, y: 0, frameId: "f" }), shape("across", { x: 195, y: 0, frameId: "f" }), shape("in", { x: 50, y: 50, frameId: "f" })];
    expect(membershipAfterMove(board, ["out", "across", "in"])).toStrictEqual({ out: { frameId: undefined } });
  });

  it("a member dropped into another frame moves to it", () => {
    const board = [frame("f"), frame("g", { x: 500, z: 2 }), shape("a", { x: 520, y: 20, frameId: "f" })];
    expect(membershipAfterMove(board, ["a"])).toEqual({ a: { frameId: "g" } });
  });

  it("a frame moved with its shapes changes nothing", () => {
    const board = [frame("f", { x: 300 }), shape("a", { x: 320, y: 20, frameId: "f" })];
    expect(membershipAfterMove(board, ["f", "a"])).toEqual({});
  });

  it("a resized frame takes in free shapes now inside and lets go of shapes now outside", () => {
    const board = [frame("f", { w: 100 }), shape("free", { x: 20, y: 20 }), shape("outside", { x: 150, y: 20, frameId: "f" }), shape("other", { x: 50, y: 50, frameId: "g" })];
    expect(membershipAfterMove(board, ["f"])).toStrictEqual({ free: { frameId: "f" }, outside: { frameId: undefined } });
  });

  it("deleting a frame keeps its shapes, out of any frame", () => {
    const board = [frame("f"), shape("a", { frameId: "f" }), shape("b", { frameId: "f" }), shape("c", { frameId: "g" })];
    expect(releasedFrom(board, ["f", "b"])).toStrictEqual({ a: { frameId: undefined } });
  });
});

describe("copying frames", () => {
  it("the copy of a frame holds the copies of its shapes; a shape copied alone stays in its frame", () => {
    let next = 0;
    const originals = [frame("f", { z: 1 }), shape("a", { frameId: "f", z: 2 })];
    const copies = copiesOf(originals, 20, 10, () => `copy${++next}`);
    expect(copies.map((one) => [one.id, one.frameId])).toEqual([
      ["copy1", undefined],
      ["copy2", "copy1"],
    ]);
    expect(reframed([shape("a", { frameId: "f" })], [shape("copy", { frameId: "f" })])[0].frameId).toBe("f");
  });

  it("shapes pasted from another board drop the frame that is not on this one", () => {
    const pasted = [shape("a", { frameId: "elsewhere" }), shape("b", { frameId: "here" }), frame("new"), shape("c", { frameId: "new" })];
    const kept = withoutMissingFrames(pasted, [frame("here")]);
    expect(kept.map((one) => one.frameId)).toEqual([undefined, "here", undefined, "new"]);
    expect("frameId" in kept[0]).toBe(false);
  });
});

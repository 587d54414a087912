import { describe, expect, it } from "vitest";
import { clipboardPayload, parsePayload, payloadSource } from "./clipboard";
import type { Shape } from "./model";

const rect: Shape = { id: "a", type: "rect", x: 1, y: 2, w: 3, h: 4, color: "#123456", text: "hi", points: [], z: 7 };

describe("clipboard payload", () => {
  it("round-trips shapes", () => {
    expect(parsePayload(clipboardPayload([rect]))).toEqual([rect]);
  });

  it("names the board it was copied from, when given", () => {
    const payload = clipboardPayload([rect], "board-1");
    expect(parsePayload(payload)).toEqual([rect]);
    expect(payloadSource(payload)).toBe("board-1");
    expect(payloadSource(clipboardPayload([rect]))).toBeNull();
    expect(payloadSource("hello")).toBeNull();
  });

  it("is null for ordinary text and JSON that is not Collab's", () => {
    expect(parsePayload("hello")).toBeNull();
    expect(parsePayload('{"shapes": []}')).toBeNull();
  });

  it("drops shapes of unknown type and repairs bad fields as stored shapes are read", () => {
    const text = JSON.stringify({ collab: "shapes", shapes: [{ type: "star" }, { id: "b", type: "pen", x: "far", points: [1, "2", 3] }] });
    expect(parsePayload(text)).toEqual([{ id: "b", type: "pen", x: 0, y: 0, w: 0, h: 0, color: "#1b2230", text: "", points: [1, 3], z: 0 }]);
  });
});

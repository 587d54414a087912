import { describe, expect, it } from "vitest";
import { clipboardPayload, imageFiles, outsideText, parsePayload } from "./clipboard";
import type { Shape } from "./model";

const rect: Shape = { id: "a", type: "rect", x: 1, y: 2, w: 3, h: 4, color: "#123456", text: "hi", points: [], z: 7 };

describe("clipboard payload", () => {
  it("round-trips shapes", () => {
    expect(parsePayload(clipboardPayload([rect]))).toEqual([rect]);
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

describe("pasting from outside", () => {
  const clipboard = (data: Record<string, string>) => ({ getData: (type: string) => data[type] ?? "" });

  it("reads another app's text tidied: line breaks, tabs, control characters, blank ends", () => {
    expect(outsideText(clipboard({ "text/plain": "\r\n\r\nFirst\tline  \r\nsecond\u0007 line\r\n\r\n" }))).toBe("First    line\nsecond line");
  });

  it("reads a link, from the text or from a link list", () => {
    expect(outsideText(clipboard({ "text/plain": "https://example.com/a?b=c" }))).toBe("https://example.com/a?b=c");
    expect(outsideText(clipboard({ "text/uri-list": "# a comment\r\nhttps://example.com/first\r\nhttps://example.com/second" }))).toBe("https://example.com/first");
  });

  it("finds no text in whitespace or an empty clipboard", () => {
    expect(outsideText(clipboard({ "text/plain": " \n\t \n" }))).toBeNull();
    expect(outsideText(clipboard({}))).toBeNull();
  });

  it("finds the image files among what was copied", () => {
    const png = new File(["png"], "shot.png", { type: "image/png" });
    const notes = new File(["notes"], "notes.txt", { type: "text/plain" });
    expect(imageFiles({ files: [notes, png] })).toEqual([png]);
    expect(imageFiles({ files: [] })).toEqual([]);
  });
});

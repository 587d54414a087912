import { describe, expect, it } from "vitest";
import { fittedTitle, FRAME_TITLE_SIZE, frameTitleSize } from "./content-render";
import type { Shape } from "./model";

const frame: Shape = { id: "f", type: "frame", x: 0, y: 0, w: 200, h: 100, color: "#000000", text: "Plan", points: [], z: 1 };
// Every character as wide as half the font size.
const measure = (text: string, size: number) => text.length * size * 0.5;

describe("frame titles", () => {
  it("keep a title that fits and cut a longer one with an ellipsis", () => {
    expect(fittedTitle("Roadmap", 100, 14, measure)).toBe("Roadmap");
    expect(fittedTitle("A very long frame title", 70, 14, measure)).toBe("A very lo…") // ten characters of 7 px, the ellipsis one of them;
    expect(fittedTitle("Wide", 3, 14, measure)).toBe("");
  });

  it("use the shape's text size when it has a valid one", () => {
    expect(frameTitleSize(frame)).toBe(FRAME_TITLE_SIZE);
    expect(frameTitleSize({ ...frame, fontSize: 24 } as Shape)).toBe(24);
    expect(frameTitleSize({ ...frame, fontSize: 400 } as Shape)).toBe(FRAME_TITLE_SIZE);
  });
});

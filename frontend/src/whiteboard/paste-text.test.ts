import { describe, expect, it } from "vitest";
import { PASTED_TEXT_WIDTH, pastedTextShape } from "./paste-text";
import { textStyle, wrapLines } from "./text";

// Every character 10 px wide at any size.
const measure = (text: string) => text.length * 10;
const center = { x: 500, y: 300 };

describe("pasted text", () => {
  it("is a text shape as wide as its longest line, centred on the point", () => {
    const shape = pastedTextShape("short\nthe longest line", center, "#e03131", measure);
    const { padX } = textStyle(shape);
    expect(shape).toMatchObject({ type: "text", text: "short\nthe longest line", color: "#e03131", w: 160 + 2 * padX + 1 });
    expect(shape.x).toBe(Math.round(500 - shape.w / 2));
    expect(Math.abs(shape.y + shape.h / 2 - 300)).toBeLessThanOrEqual(0.5);
  });

  it("wraps long text within a paragraph's width and is tall enough for every line", () => {
    const long = "word ".repeat(200).trim();
    const shape = pastedTextShape(long, center, "#000000", measure);
    expect(shape.w).toBe(PASTED_TEXT_WIDTH);
    const { size, padX, padY } = textStyle(shape);
    const lines = wrapLines(long, shape.w - 2 * padX, size, measure);
    expect(lines.length).toBeGreaterThan(10);
    expect(shape.h).toBeGreaterThanOrEqual(lines.length * size + 2 * padY);
  });

  it("keeps a link whole on one line when it fits", () => {
    const link = "https://example.com/docs/page?id=42";
    const shape = pastedTextShape(link, center, "#000000", measure);
    const { size, padX } = textStyle(shape);
    expect(shape.text).toBe(link);
    expect(wrapLines(link, shape.w - 2 * padX, size, measure)).toEqual([link]);
  });
});

import { describe, expect, it } from "vitest";
import type { Shape } from "./model";
import { layoutText, memoized, textHeight, wrapLines, type Measure } from "./text";

// Every character 10 units wide, whatever the font size.
const mono: Measure = (text) => text.length * 10;

function note(changes: Partial<Shape> = {}): Shape {
  return { id: "n", type: "sticky", x: 0, y: 0, w: 124, h: 140, color: "#1b2230", text: "", points: [], z: 1, ...changes };
}

describe("wrapLines", () => {
  it("breaks between words so each line fits", () => {
    expect(wrapLines("one two three four", 100, 16, mono)).toEqual(["one two", "three four"]);
  });

  it("keeps the text's own line breaks", () => {
    expect(wrapLines("a\n\nb", 100, 16, mono)).toEqual(["a", "", "b"]);
  });

  it("cuts a word wider than the line", () => {
    expect(wrapLines("abcdefghijklmnopqrstuvwxy", 100, 16, mono)).toEqual(["abcdefghij", "klmnopqrst", "uvwxy"]);
  });
});

describe("layoutText and textHeight", () => {
  it("wraps inside the note's padding, every line within its width", () => {
    const layout = layoutText(note(), "the quick brown fox jumps over the lazy dog", mono);
    for (const line of layout.lines) expect(layout.x + mono(line.text, 16)).toBeLessThanOrEqual(124 - 12);
    expect(layout.lines.length).toBeGreaterThan(1);
  });

  it("needs more height for more lines, so a note grows to fit its text", () => {
    expect(textHeight(note(), "short", mono)).toBeLessThan(textHeight(note(), "word ".repeat(40), mono));
    const tall = textHeight(note(), "word ".repeat(40), mono);
    const layout = layoutText(note({ h: tall }), "word ".repeat(40), mono);
    expect(layout.lines.at(-1)!.y).toBeLessThanOrEqual(tall);
  });
});

describe("memoized", () => {
  it("measures each text and size once, and again after forgetting past its limit", () => {
    const asked: string[] = [];
    const measure = memoized((text, size) => {
      asked.push(`${size}:${text}`);
      return text.length * size;
    }, 2);
    expect([measure("ab", 10), measure("ab", 10), measure("ab", 12)]).toEqual([20, 20, 24]);
    expect(asked).toEqual(["10:ab", "12:ab"]);
    measure("c", 10);
    measure("ab", 10);
    expect(asked).toEqual(["10:ab", "12:ab", "10:c", "10:ab"]);
  });
});

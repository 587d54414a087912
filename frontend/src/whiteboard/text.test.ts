import { describe, expect, it } from "vitest";
import type { Shape } from "./model";
import { layoutText, memoized, resolvedTextStyle, textBox, textHeight, textStyle, wrapLines, type Measure } from "./text";

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
    expect(layout.anchor).toBe("middle"); // a note's text is centred
    for (const line of layout.lines) {
      expect(layout.x - mono(line.text, 16) / 2).toBeGreaterThanOrEqual(12);
      expect(layout.x + mono(line.text, 16) / 2).toBeLessThanOrEqual(124 - 12);
    }
    expect(layout.lines.length).toBeGreaterThan(1);
  });

  it("needs more height for more lines, so a note grows to fit its text", () => {
    expect(textHeight(note(), "short", mono)).toBeLessThan(textHeight(note(), "word ".repeat(40), mono));
    const tall = textHeight(note(), "word ".repeat(40), mono);
    const layout = layoutText(note({ h: tall }), "word ".repeat(40), mono);
    expect(layout.lines.at(-1)!.y).toBeLessThanOrEqual(tall);
  });
});

function box(changes: Partial<Shape> = {}): Shape {
  return { id: "r", type: "rect", x: 100, y: 50, w: 216, h: 100, color: "#1b2230", text: "", points: [], z: 1, ...changes };
}

describe("font size and alignment", () => {
  it("uses the shape's own font size, and the type's default without one", () => {
    expect(textStyle(note()).size).toBe(16);
    expect(textStyle(note({ type: "text" })).size).toBe(18);
    expect(textStyle(note({ fontSize: 40 })).size).toBe(40);
    expect(layoutText(note({ fontSize: 40 }), "hi", mono).size).toBe(40);
  });

  it("anchors the lines at the left, the middle or the right of the text box", () => {
    const left = layoutText(box({ align: "left" }), "a b", mono);
    expect([left.x, left.anchor]).toEqual([108, "start"]);
    const centre = layoutText(box(), "a b", mono);
    expect([centre.x, centre.anchor]).toEqual([208, "middle"]);
    const right = layoutText(box({ align: "right" }), "a b", mono);
    expect([right.x, right.anchor]).toEqual([308, "end"]);
  });

  it("sets a text shape at its top left, and a label or note in the middle", () => {
    const text = layoutText(box({ type: "text", h: 200 }), "one", mono);
    expect(text.anchor).toBe("start");
    expect(text.lines[0].y).toBe(50 + 4 + 18);
    // Two lines of 16 px, 20.8 px apart, their letters centred on the 100 px box's middle
    // (a baseline sits 0.35 of the size below the middle of its letters).
    const label = layoutText(box(), "one\ntwo", mono);
    expect(label.lines[1].y - label.lines[0].y).toBeCloseTo(20.8);
    expect((label.lines[0].y + label.lines[1].y) / 2).toBeCloseTo(100 + 0.35 * 16);
  });

  it("wraps larger text into more lines, and needs more height for it", () => {
    const words = "the quick brown fox jumps over the lazy dog";
    const size: Measure = (text, fontSize) => text.length * fontSize * 0.5;
    const small = layoutText(box({ fontSize: 12 }), words, size).lines.length;
    const large = layoutText(box({ fontSize: 36 }), words, size).lines.length;
    expect(large).toBeGreaterThan(small);
    expect(textHeight(box({ fontSize: 36 }), words, size)).toBeGreaterThan(textHeight(box({ fontSize: 12 }), words, size));
  });
});

describe("an ellipse's label", () => {
  const ellipse = box({ type: "ellipse", x: 0, y: 0, w: 200, h: 100 });

  it("wraps in the largest box the ellipse holds, inside its padding", () => {
    const inner = textBox(ellipse);
    expect(inner.w).toBeCloseTo(200 / Math.SQRT2 - 8);
    expect(inner.h).toBeCloseTo(100 / Math.SQRT2 - 8);
    expect(inner.x + inner.w / 2).toBeCloseTo(100);
    expect(inner.y + inner.h / 2).toBeCloseTo(50);
    // The box's corners lie inside the ellipse.
    const corner = { x: inner.x + inner.w, y: inner.y + inner.h };
    expect(((corner.x - 100) / 100) ** 2 + ((corner.y - 50) / 50) ** 2).toBeLessThan(1);
    for (const line of layoutText(ellipse, "word ".repeat(12), mono).lines) expect(mono(line.text, 16)).toBeLessThanOrEqual(inner.w);
  });

  it("needs the ellipse √2 times taller than the lines with their padding", () => {
    expect(textHeight(ellipse, "one\ntwo\nthree", mono)).toBe(Math.ceil((8 + 3 * 16 * 1.3) * Math.SQRT2));
  });
});

describe("resolvedTextStyle", () => {
  it("fills in each type's default size and alignment", () => {
    expect(resolvedTextStyle("text", {})).toEqual({ fontSize: 18, align: "left" });
    expect(resolvedTextStyle("sticky", {})).toEqual({ fontSize: 16, align: "center" });
    expect(resolvedTextStyle("rect", { align: "right" })).toEqual({ fontSize: 16, align: "right" });
    expect(resolvedTextStyle("arrow", { fontSize: 24 })).toEqual({ fontSize: 24, align: "center" });
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

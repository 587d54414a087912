import { describe, expect, it } from "vitest";
import { imagePdf } from "./pdf";

const latin1 = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);

describe("imagePdf", () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  const pdf = imagePdf(jpeg, { w: 400, h: 200 }, { w: 200, h: 100 });
  const text = latin1(pdf);

  it("is a PDF whose cross-reference table points at each object", () => {
    expect(text.startsWith("%PDF-1.4\n")).toBe(true);
    expect(text.endsWith("%%EOF\n")).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe("xref");
    const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
    expect(entries).toHaveLength(5);
    entries.forEach((offset, index) => expect(text.slice(offset, offset + 8)).toBe(`${index + 1} 0 obj\n`));
  });

  it("embeds the JPEG's bytes as they are, with their length and pixel size", () => {
    const start = text.indexOf("stream\n", text.indexOf("/DCTDecode")) + "stream\n".length;
    expect([...pdf.slice(start, start + jpeg.length)]).toEqual([...jpeg]);
    expect(text).toContain(`/Width 400 /Height 200`);
    expect(text).toContain(`/Length ${jpeg.length} >>`);
  });

  it("makes the page the image's size in points, and the drawing fill it", () => {
    expect(text).toContain("/MediaBox [0 0 150 75]");
    expect(text).toContain("q 150 0 0 75 0 0 cm /Im0 Do Q");
  });

  it("shrinks a huge board to PDF's largest page, keeping its shape", () => {
    const huge = latin1(imagePdf(jpeg, { w: 10, h: 10 }, { w: 40000, h: 20000 }));
    expect(huge).toContain("/MediaBox [0 0 14400 7200]");
  });
});

import { describe, expect, it } from "vitest";
import { FONT_SIZES, fontSizeFrom } from "./text-panel";

describe("fontSizeFrom", () => {
  it("takes whole sizes from 8 to 160, clamping the rest into range", () => {
    expect(fontSizeFrom("36")).toBe(36);
    expect(fontSizeFrom("20.4")).toBe(20);
    expect(fontSizeFrom("3")).toBe(8);
    expect(fontSizeFrom("1000")).toBe(160);
  });

  it("refuses what is not a number", () => {
    expect(fontSizeFrom("")).toBeNull();
    expect(fontSizeFrom("big")).toBeNull();
  });

  it("offers presets inside the range, growing from S to XL", () => {
    expect(FONT_SIZES.map(({ name }) => name)).toEqual(["S", "M", "L", "XL"]);
    const sizes = FONT_SIZES.map(({ size }) => size);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    for (const size of sizes) expect(fontSizeFrom(String(size))).toBe(size);
  });
});

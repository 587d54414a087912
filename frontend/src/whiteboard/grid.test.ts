import { describe, expect, it } from "vitest";
import { gridRemembered, gridSpacing, rememberGrid } from "./grid";

describe("grid", () => {
  it("draws a line every cell, and every 5 or 25 cells when zoomed far out", () => {
    expect(gridSpacing(1)).toBe(20);
    expect(gridSpacing(2)).toBe(40);
    expect(gridSpacing(0.5)).toBe(10);
    expect(gridSpacing(0.3)).toBe(30);
    expect(gridSpacing(0.05)).toBe(25);
  });

  it("remembers the choice, and is off where storage is missing or refuses", () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) };
    expect(gridRemembered(storage)).toBe(false);
    rememberGrid(storage, true);
    expect(gridRemembered(storage)).toBe(true);
    rememberGrid(storage, false);
    expect(gridRemembered(storage)).toBe(false);
    expect(gridRemembered(null)).toBe(false);
    const refusing = {
      getItem: (): string | null => {
        throw new DOMException("denied", "SecurityError");
      },
      setItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
    };
    expect(gridRemembered(refusing)).toBe(false);
    expect(() => rememberGrid(refusing, true)).not.toThrow();
  });
});

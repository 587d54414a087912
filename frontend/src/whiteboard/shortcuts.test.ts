import { describe, expect, it } from "vitest";
import { keyCommand, type KeyPress } from "./keys";
import { helpSections, shortcutFor, shownKeys, SHORTCUTS } from "./shortcuts";
import { TOOLS } from "./tools";
import { SHAPE_TYPES } from "./model";
import { ACTION_KEYS } from "./toolbar";

const GLYPHS: Record<string, string> = { "←": "ArrowLeft", "→": "ArrowRight", "↑": "ArrowUp", "↓": "ArrowDown" };

/** The key press a row's shown keys describe ("Mod+Shift+Z", "Shift+1", "←", "Alt+Shift+H"). */
function pressFor(keys: string): KeyPress {
  const [, mods, last] = /^((?:Mod\+|Alt\+|Shift\+)*)(.+)$/.exec(keys)!;
  const shiftKey = mods.includes("Shift");
  return {
    key: GLYPHS[last] ?? (last.length === 1 && !shiftKey ? last.toLowerCase() : last),
    code: /^\d$/.test(last) ? `Digit${last}` : /^[A-Z]$/.test(last) ? `Key${last}` : undefined,
    ctrlKey: mods.includes("Mod"),
    metaKey: false,
    altKey: mods.includes("Alt"),
    shiftKey,
  };
}

describe("the shortcut table", () => {
  it("gives every tool a key of its own, and every kind of shape a tool", () => {
    const keys = TOOLS.map((tool) => tool.key);
    expect(new Set(keys).size).toBe(keys.length);
    // An image comes from a file (the Insert image button, a drop or a paste), not a drawing tool.
    for (const type of SHAPE_TYPES.filter((type) => type !== "image")) expect(TOOLS.some((tool) => tool.tool === type)).toBe(true);
    for (const { tool, key } of TOOLS) expect(keyCommand({ key, ctrlKey: false, metaKey: false, shiftKey: false })).toEqual({ kind: "tool", tool });
  });

  it("does what each row says when its keys are pressed (no row hides another)", () => {
    for (const shortcut of SHORTCUTS.filter((row) => row.command)) {
      expect(keyCommand(pressFor(shortcut.keys)), shortcut.keys).toEqual(shortcut.command);
    }
  });

  it("lists each label once per section, joining the keys of rows that share it", () => {
    const select = helpSections().find((entry) => entry.section === "Select and move")!;
    const small = select.rows.find((entry) => entry.label.startsWith("Move the selection 1 px"))!;
    expect(small.keys).toEqual(["←", "→", "↑", "↓"]);
    const tools = helpSections().find((entry) => entry.section === "Tools")!;
    expect(tools.rows.map((entry) => entry.label)).toEqual(TOOLS.map((tool) => tool.label));
  });

  it("says Ctrl or ⌘ for the platform", () => {
    expect(shownKeys("Mod+Shift+Z", false)).toBe("Ctrl+Shift+Z");
    expect(shownKeys("Mod+Shift+Z", true)).toBe("⌘Shift+Z");
    expect(shownKeys("Alt+Shift+H", true)).toBe("⌥Shift+H");
    expect(shownKeys("Alt+Shift+H", false)).toBe("Alt+Shift+H");
  });

  it("has a shortcut for every toolbar action", () => {
    for (const [action, command] of Object.entries(ACTION_KEYS)) expect(shortcutFor(command), action).not.toBeNull();
  });

  it("lists the group, lock, align, distribute and grid keys in the help", () => {
    const arrange = helpSections().find((entry) => entry.section === "Arrange")!;
    const keysOf = (label: string) => arrange.rows.find((entry) => entry.label === label)?.keys;
    expect(keysOf("Group")).toEqual(["Mod+G"]);
    expect(keysOf("Ungroup")).toEqual(["Mod+Shift+G"]);
    expect(keysOf("Lock or unlock the selection")).toEqual(["Mod+Shift+L"]);
    expect(keysOf("Unlock all")).toEqual(["Mod+Alt+Shift+L"]);
    expect(keysOf("Align left")).toEqual(["Alt+A"]);
    expect(keysOf("Align bottom")).toEqual(["Alt+S"]);
    expect(keysOf("Distribute horizontally")).toEqual(["Alt+Shift+H"]);
    expect(shortcutFor({ kind: "grid" })?.keys).toBe("Mod+'");
    expect(shortcutFor({ kind: "arrange", arrangement: { kind: "distribute", axis: "vertical" } })?.keys).toBe("Alt+Shift+V");
  });

  it("finds the row of a command for a button's tooltip", () => {
    expect(shortcutFor({ kind: "undo" })?.keys).toBe("Mod+Z");
    expect(shortcutFor({ kind: "tool", tool: "rect" })?.keys).toBe("R");
  });
});

// The board's keyboard shortcuts: one table that keys.ts reads to act on a key press and the
// help dialog (help-dialog.ts) reads to list them, so the two never disagree. A new shortcut is
// one row here; a new kind of command also needs the case that carries it out (board.ts or
// machine.ts).

import { arrangeLabel, type Arrangement } from "./arrange";
import type { KeyCommand, KeyPress } from "./keys";
import { TOOLS } from "./tools";

export type Section = "Tools" | "Edit" | "Select and move" | "Arrange" | "View" | "Export and help";

export interface Shortcut {
  section: Section;
  label: string; // what it does, as the help dialog says it
  keys: string; // as shown, "Mod" standing for Ctrl (Cmd on a Mac)
  matches(event: KeyPress): boolean;
  command: KeyCommand | null; // null: the browser's own (copy, cut, paste), listed for help
}

const noMod = (event: KeyPress) => !event.ctrlKey && !event.metaKey;
/** A key without Ctrl/Cmd or Alt (Shift allowed: Shift+R still picks the rectangle; Alt+A aligns). */
const plain = (key: string) => (event: KeyPress) => noMod(event) && !event.altKey && event.key.toLowerCase() === key;
/** Ctrl or Cmd with ``key``, Shift held exactly when ``shift``. */
const mod =
  (key: string, shift = false) =>
  (event: KeyPress) =>
    (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === key && event.shiftKey === shift;
/** Ctrl or Cmd with a bracket (Shift is part of the key on some layouts). */
const modKey = (key: string) => (event: KeyPress) => (event.ctrlKey || event.metaKey) && event.key === key;
/** Shift with a digit, by the key's place as in Excalidraw (Shift+1 types "!" or "§"). */
const shiftDigit = (digit: number) => (event: KeyPress) => noMod(event) && event.shiftKey && event.code === `Digit${digit}`;
/** Any of these named keys (Delete, Escape, arrows ...), without Ctrl/Cmd. */
const named =
  (...keys: string[]) =>
  (event: KeyPress) =>
    noMod(event) && keys.includes(event.key);
/** Alt (Option) with a letter, by the key's place as in Figma and tldraw: Option types other
 * characters on a Mac (Option+D is "∂"). Shift held exactly when ``shift``. */
const alt =
  (letter: string, shift = false) =>
  (event: KeyPress) =>
    noMod(event) && !!event.altKey && event.shiftKey === shift && event.code === `Key${letter}`;
const shifted = (shift: boolean, test: (event: KeyPress) => boolean) => (event: KeyPress) => event.shiftKey === shift && test(event);
const never = () => false;
const withAlt = (test: (event: KeyPress) => boolean) => (event: KeyPress) => !!event.altKey && test(event);
const withoutAlt = (test: (event: KeyPress) => boolean) => (event: KeyPress) => !event.altKey && test(event);

const row = (section: Section, label: string, keys: string, matches: (event: KeyPress) => boolean, command: KeyCommand | null): Shortcut => ({ section, label, keys, matches, command });
const arrange = (keys: string, matches: (event: KeyPress) => boolean, arrangement: Arrangement): Shortcut =>
  row("Arrange", arrangeLabel(arrangement), keys, matches, { kind: "arrange", arrangement });
const nudge = (key: string, glyph: string, dx: number, dy: number): Shortcut[] => [
  row("Select and move", "Move the selection 1 px, or pan", glyph, shifted(false, named(key)), { kind: "nudge", dx, dy }),
  row("Select and move", "Move the selection 10 px", `Shift+${glyph}`, shifted(true, named(key)), { kind: "nudge", dx: dx * 10, dy: dy * 10 }),
];

export const SHORTCUTS: Shortcut[] = [
  ...TOOLS.map(({ tool, label, key }) => row("Tools", label, key.toUpperCase(), plain(key), { kind: "tool", tool })),
  row("Edit", "Undo", "Mod+Z", mod("z"), { kind: "undo" }),
  row("Edit", "Redo", "Mod+Shift+Z", mod("z", true), { kind: "redo" }),
  row("Edit", "Redo", "Mod+Y", mod("y"), { kind: "redo" }),
  row("Edit", "Copy", "Mod+C", never, null),
  row("Edit", "Cut", "Mod+X", never, null),
  row("Edit", "Paste", "Mod+V", never, null),
  row("Edit", "Duplicate", "Mod+D", mod("d"), { kind: "duplicate" }),
  row("Edit", "Delete the selection", "Delete", named("Delete", "Backspace"), { kind: "delete" }),
  row("Edit", "Edit a shape's text, label, frame title or image alt text", "Enter", named("Enter"), { kind: "editText" }),
  row("Edit", "Edit a shape's text, label, frame title or image alt text", "Double-click", never, null),
  row("Select and move", "Select all", "Mod+A", mod("a"), { kind: "selectAll" }),
  row("Select and move", "Deselect, stop following", "Escape", named("Escape"), { kind: "deselect" }),
  ...nudge("ArrowLeft", "←", -1, 0),
  ...nudge("ArrowRight", "→", 1, 0),
  ...nudge("ArrowUp", "↑", 0, -1),
  ...nudge("ArrowDown", "↓", 0, 1),
  row("Arrange", "Bring forward", "Mod+]", modKey("]"), { kind: "restack", direction: "forward" }),
  row("Arrange", "Send back", "Mod+[", modKey("["), { kind: "restack", direction: "back" }),
  row("Arrange", "Group", "Mod+G", mod("g"), { kind: "group" }),
  row("Arrange", "Ungroup", "Mod+Shift+G", mod("g", true), { kind: "ungroup" }),
  row("Arrange", "Lock or unlock the selection", "Mod+Shift+L", withoutAlt(mod("l", true)), { kind: "lock" }),
  row("Arrange", "Unlock all", "Mod+Alt+Shift+L", withAlt(mod("l", true)), { kind: "unlockAll" }),
  arrange("Alt+A", alt("A"), { kind: "align", edge: "left" }),
  arrange("Alt+H", alt("H"), { kind: "align", edge: "centre" }),
  arrange("Alt+D", alt("D"), { kind: "align", edge: "right" }),
  arrange("Alt+W", alt("W"), { kind: "align", edge: "top" }),
  arrange("Alt+V", alt("V"), { kind: "align", edge: "middle" }),
  arrange("Alt+S", alt("S"), { kind: "align", edge: "bottom" }),
  arrange("Alt+Shift+H", alt("H", true), { kind: "distribute", axis: "horizontal" }),
  arrange("Alt+Shift+V", alt("V", true), { kind: "distribute", axis: "vertical" }),
  row("Arrange", "Move without snapping", "Alt while dragging", never, null),
  row("View", "Zoom in", "+", named("+", "="), { kind: "zoom", direction: "in" }),
  row("View", "Zoom out", "-", named("-"), { kind: "zoom", direction: "out" }),
  row("View", "Zoom to 100 %", "Shift+0", shiftDigit(0), { kind: "zoomReset" }),
  row("View", "Zoom to fit the board", "Shift+1", shiftDigit(1), { kind: "zoomToFit", target: "all" }),
  row("View", "Zoom to the selection", "Shift+2", shiftDigit(2), { kind: "zoomToFit", target: "selection" }),
  row("View", "Show or hide the minimap", "M", plain("m"), { kind: "minimap" }),
  row("View", "Show the grid and snap to it", "Mod+'", modKey("'"), { kind: "grid" }),
  row("View", "Pan", "Wheel, middle drag, two fingers", never, null),
  row("View", "Zoom about the pointer", "Mod+Wheel, pinch", never, null),
  row("Export and help", "Export…", "Mod+Shift+E", mod("e", true), { kind: "export" }),
  row("Export and help", "Keyboard shortcuts", "?", named("?"), { kind: "help" }),
];

/** Whether this is a Mac, whose shortcuts say Cmd rather than Ctrl. */
export function isMac(platform: string = typeof navigator === "undefined" ? "" : navigator.platform): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** A row's keys as the person reads them: "Mod" becomes "Ctrl" or "⌘", Alt on a Mac "⌥". */
export function shownKeys(keys: string, mac = isMac()): string {
  return keys.replace(/Mod\+/g, mac ? "⌘" : "Ctrl+").replace(/Alt\+/g, mac ? "⌥" : "Alt+");
}

/** A row's keys as aria-keyshortcuts names them ("Control+Shift+Z"). */
export function ariaKeys(keys: string, mac = isMac()): string {
  return keys.replace(/Mod\+/g, mac ? "Meta+" : "Control+");
}

/** The first row whose command is ``command`` (for a button's tooltip), or null. */
export function shortcutFor(command: KeyCommand): Shortcut | null {
  const wanted = JSON.stringify(command);
  return SHORTCUTS.find((shortcut) => JSON.stringify(shortcut.command) === wanted) ?? null;
}

/** The help dialog's sections: each row once, rows with the same label joined ("← / →"). */
export function helpSections(shortcuts: Shortcut[] = SHORTCUTS): { section: Section; rows: { label: string; keys: string[] }[] }[] {
  const sections: { section: Section; rows: { label: string; keys: string[] }[] }[] = [];
  for (const shortcut of shortcuts) {
    let section = sections.find((entry) => entry.section === shortcut.section);
    if (!section) sections.push((section = { section: shortcut.section, rows: [] }));
    const existing = section.rows.find((entry) => entry.label === shortcut.label);
    if (existing) existing.keys.push(shortcut.keys);
    else section.rows.push({ label: shortcut.label, keys: [shortcut.keys] });
  }
  return sections;
}

// The selection's arrange controls: align (2 or more shapes) and distribute (3 or more), each
// button naming its Alt shortcut, and the grid's toggle. It only reports clicks; the board
// sends them through the machine like their keys.

import { arrangeLabel, unitsNeeded, type Arrangement } from "./arrange";
import { svg } from "./render";

// Each button: what it does, its shortcut, and its icon (24 by 24, stroked).
const BUTTONS: { arrangement: Arrangement; keys: string; glyph: string }[] = [
  { arrangement: { kind: "align", edge: "left" }, keys: "Alt+A", glyph: "M4 3v18M8 6h8v4H8zM8 14h12v4H8z" },
  { arrangement: { kind: "align", edge: "centre" }, keys: "Alt+H", glyph: "M12 3v18M7 6h10v4H7zM5 14h14v4H5z" },
  { arrangement: { kind: "align", edge: "right" }, keys: "Alt+D", glyph: "M20 3v18M8 6h8v4H8zM4 14h12v4H4z" },
  { arrangement: { kind: "align", edge: "top" }, keys: "Alt+W", glyph: "M3 4h18M6 8h4v8H6zM14 8h4v12h-4z" },
  { arrangement: { kind: "align", edge: "middle" }, keys: "Alt+V", glyph: "M3 12h18M6 7h4v10H6zM14 5h4v14h-4z" },
  { arrangement: { kind: "align", edge: "bottom" }, keys: "Alt+S", glyph: "M3 20h18M6 8h4v8H6zM14 4h4v12h-4z" },
  { arrangement: { kind: "distribute", axis: "horizontal" }, keys: "Alt+Shift+H", glyph: "M3 4v16M21 4v16M9 7h6v10H9z" },
  { arrangement: { kind: "distribute", axis: "vertical" }, keys: "Alt+Shift+V", glyph: "M4 3h16M4 21h16M7 9h10v6H7z" },
];

export interface ArrangePanel {
  element: HTMLElement;
  /** Enables what ``count`` selected units (shapes or groups) allow, and shows whether the
   * grid is on. */
  show(count: number, grid: boolean): void;
}

function iconButton(label: string, title: string, glyph: string): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "tool";
  button.setAttribute("aria-label", label);
  button.title = title;
  const icon = svg("svg", { viewBox: "0 0 24 24", width: 18, height: 18, fill: "none", stroke: "currentColor", "stroke-width": 1.8, "stroke-linejoin": "round", "aria-hidden": "true" });
  icon.append(svg("path", { d: glyph }));
  button.append(icon);
  return button;
}

export function arrangePanel(onArrange: (arrangement: Arrangement) => void, onGrid: () => void): ArrangePanel {
  const element = document.createElement("div");
  element.className = "toolbar-group board-arrange";
  const buttons = BUTTONS.map(({ arrangement, keys, glyph }) => {
    const label = arrangeLabel(arrangement);
    const button = iconButton(label, `${label} (${keys})`, glyph);
    button.dataset.arrange = arrangement.kind === "align" ? arrangement.edge : arrangement.axis;
    button.addEventListener("click", () => onArrange(arrangement));
    return { button, needed: unitsNeeded(arrangement) };
  });
  const grid = iconButton("Grid", "Grid: show it and snap to it (Ctrl+')", "M4 4h16v16H4zM9.3 4v16M14.7 4v16M4 9.3h16M4 14.7h16");
  grid.addEventListener("click", onGrid);
  element.append(...buttons.map(({ button }) => button), grid);
  return {
    element,
    show(count, on) {
      for (const { button, needed } of buttons) button.disabled = count < needed;
      grid.setAttribute("aria-pressed", String(on));
    },
  };
}

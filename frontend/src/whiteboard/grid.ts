// The board's grid: when it is on, lines every GRID_SIZE board px are drawn under the shapes
// (coarser when zoomed far out) and dragged shapes snap to them (snap.ts). Each person's
// choice is remembered in their browser.

import { svg } from "./render";
import { GRID_SIZE } from "./snap";
import type { View } from "./viewport";

const STORAGE_KEY = "collab.whiteboard.grid";
// Closer than this (screen px) the lines would be a grey wash.
const MIN_SPACING = 8;

/** The screen distance between drawn grid lines at ``zoom``: a cell, or 5, 25... cells. */
export function gridSpacing(zoom: number, size = GRID_SIZE): number {
  let spacing = size * zoom;
  while (spacing < MIN_SPACING) spacing *= 5;
  return spacing;
}

/** Whether this browser last had the grid on (storage can be missing or refuse access). */
export function gridRemembered(storage: Pick<Storage, "getItem"> | null): boolean {
  try {
    return storage?.getItem(STORAGE_KEY) === "on";
  } catch {
    return false;
  }
}

export function rememberGrid(storage: Pick<Storage, "setItem"> | null, on: boolean): void {
  try {
    storage?.setItem(STORAGE_KEY, on ? "on" : "off");
  } catch {
    // Private windows may refuse storage: the grid still toggles for this visit.
  }
}

export interface GridLayer {
  element: SVGGElement;
  show(on: boolean, view: View): void;
}

/** The grid drawn in screen space (crisp one-pixel lines at every zoom), moved with the pan:
 * a pattern whose tile origin is the board's origin. ``id`` names the pattern in the page. */
export function gridLayer(id: string): GridLayer {
  const element = svg("g", { class: "board-grid", "aria-hidden": "true" });
  const pattern = svg("pattern", { id, patternUnits: "userSpaceOnUse" });
  const line = svg("path", { fill: "none", stroke: "#dde2ea", "stroke-width": 1 });
  pattern.append(line);
  const defs = svg("defs");
  defs.append(pattern);
  element.append(defs, svg("rect", { width: "100%", height: "100%", fill: `url(#${id})` }));
  let shown: boolean | null = null;
  return {
    element,
    show(on, { pan, zoom }) {
      // Called on every pan and zoom step: a grid that stays hidden is left alone, as any
      // attribute set on it would lay the canvas out again.
      if (on !== shown) element.setAttribute("display", on ? "inline" : "none");
      shown = on;
      if (!on) return;
      const spacing = gridSpacing(zoom);
      pattern.setAttribute("width", String(spacing));
      pattern.setAttribute("height", String(spacing));
      pattern.setAttribute("x", String(pan.x));
      pattern.setAttribute("y", String(pan.y));
      line.setAttribute("d", `M${spacing} 0.5H0.5V${spacing}`);
    },
  };
}

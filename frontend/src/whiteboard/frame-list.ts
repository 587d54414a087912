// The toolbar's "Frames" list: each frame on the board by its title; picking one selects it
// and zooms the view to it (as Figma's and tldraw's frame lists do). Hidden on a board
// without frames.

import { isFrame } from "./frames";
import type { Shape } from "./model";

export interface FrameList {
  element: HTMLElement; // for the toolbar
  show(shapes: Shape[]): void;
}

/** The frames of ``shapes`` as the list shows them: top to bottom, then left to right. */
export function frameEntries(shapes: Shape[]): { id: string; title: string }[] {
  return shapes
    .filter(isFrame)
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((frame) => ({ id: frame.id, title: frame.text || "Frame" }));
}

export function frameList(onPick: (frameId: string) => void): FrameList {
  const element = document.createElement("div");
  element.className = "toolbar-group";
  const list = document.createElement("select");
  list.className = "board-style-select";
  list.setAttribute("aria-label", "Go to frame");
  list.title = "Zoom to a frame";
  list.addEventListener("change", () => {
    if (list.value) onPick(list.value);
    list.value = "";
  });
  element.append(list);
  element.hidden = true;
  let shown = "";
  return {
    element,
    show(shapes) {
      const entries = frameEntries(shapes);
      const key = JSON.stringify(entries);
      if (key === shown) return;
      shown = key;
      element.hidden = entries.length === 0;
      list.replaceChildren(new Option("Frames…", ""), ...entries.map((entry) => new Option(entry.title, entry.id)));
    },
  };
}

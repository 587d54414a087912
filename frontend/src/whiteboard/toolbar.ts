// The whiteboard's toolbar: tools, the style panel, undo/redo and selection actions (for
// those who can write), zoom and help. It only reports clicks; the board acts on them. Each
// button names its shortcut from the shortcut table; the keyboard moves in it as in a WAI-ARIA
// toolbar (roving.ts).

import { icon } from "../editor/icons";
import type { KeyCommand } from "./keys";
import { svg } from "./render";
import { rovingFocus } from "./roving";
import { ariaKeys, shortcutFor, shownKeys } from "./shortcuts";
import { TOOLS, type Tool } from "./tools";

const TOOL_GLYPHS: Record<Tool, string> = {
  select: "M5 3l14 8-6 1.5L10 19z",
  rect: "M4 6h16v12H4z",
  ellipse: "M12 5c4.4 0 8 3.1 8 7s-3.6 7-8 7-8-3.1-8-7 3.6-7 8-7z",
  line: "M5 19 19 5",
  arrow: "M5 19 19 5M10 5h9v9",
  pen: "M4 20c3-1 4-4 6-7s4-6 7-8l2 2c-2 3-5 5-8 7s-6 3-7 6z",
  text: "M5 6V4h14v2M12 4v16M9 20h6",
  sticky: "M4 4h16v10l-6 6H4zM14 20v-6h6",
  frame: "M8 3v18M16 3v18M3 8h18M3 16h18",
};
const IMAGE_GLYPH = "M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9h.01";

export type ToolbarAction = "undo" | "redo" | "delete" | "forward" | "back" | "group" | "ungroup" | "lock" | "unlockAll" | "zoomOut" | "zoomReset" | "zoomIn" | "fitAll" | "fitSelection" | "help" | "image";

// The key command each action shares with the keyboard, for its tooltip and aria-keyshortcuts
// (Unlock all has no key of its own).
export const ACTION_KEYS: Partial<Record<ToolbarAction, KeyCommand>> = {
  undo: { kind: "undo" },
  redo: { kind: "redo" },
  delete: { kind: "delete" },
  forward: { kind: "restack", direction: "forward" },
  back: { kind: "restack", direction: "back" },
  group: { kind: "group" },
  ungroup: { kind: "ungroup" },
  lock: { kind: "lock" },
  unlockAll: { kind: "unlockAll" },
  zoomOut: { kind: "zoom", direction: "out" },
  zoomReset: { kind: "zoomReset" },
  zoomIn: { kind: "zoom", direction: "in" },
  fitAll: { kind: "zoomToFit", target: "all" },
  fitSelection: { kind: "zoomToFit", target: "selection" },
  help: { kind: "help" },
};

export interface Toolbar {
  element: HTMLElement;
  showTool(tool: Tool): void;
  showZoom(zoom: number): void;
  showLocked(locked: boolean): void; // the selection is all locked: Lock shows pressed
}

function toolIcon(path: string): SVGSVGElement {
  const element = svg("svg", { viewBox: "0 0 24 24", width: 18, height: 18, fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true" });
  element.append(svg("path", { d: path }));
  return element;
}

function button(label: string, content: Node | string, onClick: () => void, command?: KeyCommand): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "tool";
  element.setAttribute("aria-label", label);
  const keys = command && shortcutFor(command)?.keys;
  element.title = keys ? `${label} (${shownKeys(keys)})` : label;
  if (keys) element.setAttribute("aria-keyshortcuts", ariaKeys(keys));
  element.append(content);
  element.addEventListener("click", onClick);
  return element;
}

function group(...children: HTMLElement[]): HTMLElement {
  const element = document.createElement("div");
  element.className = "toolbar-group";
  element.append(...children);
  return element;
}

export function buildToolbar(options: { canWrite: boolean; style: HTMLElement[]; onTool(tool: Tool): void; onAction(action: ToolbarAction): void }): Toolbar {
  const { canWrite, onTool, onAction } = options;
  const element = document.createElement("div");
  element.className = "board-toolbar";
  element.setAttribute("role", "toolbar");
  element.setAttribute("aria-label", "Whiteboard");
  const act = (label: string, content: Node | string, action: ToolbarAction) => button(label, content, () => onAction(action), ACTION_KEYS[action]);
  const toolButtons = new Map<Tool, HTMLButtonElement>();
  const lockButton = act("Lock", "Lock", "lock");
  if (canWrite) {
    element.append(
      group(
        ...TOOLS.map(({ tool, label }) => {
          const toolButton = button(label, toolIcon(TOOL_GLYPHS[tool]), () => onTool(tool), { kind: "tool", tool });
          toolButtons.set(tool, toolButton);
          return toolButton;
        }),
        act("Insert image", toolIcon(IMAGE_GLYPH), "image"),
      ),
      ...options.style,
      group(
        act("Undo", icon("undo"), "undo"),
        act("Redo", icon("redo"), "redo"),
        act("Delete selection", "Delete", "delete"),
        act("Bring forward", "Forward", "forward"),
        act("Send back", "Back", "back"),
      ),
      group(
        act("Group", "Group", "group"),
        act("Ungroup", "Ungroup", "ungroup"),
        lockButton,
        act("Unlock all", "Unlock all", "unlockAll"),
      ),
    );
  }
  const zoomLabel = document.createElement("span");
  element.append(
    group(
      act("Zoom out", "−", "zoomOut"),
      act("Reset zoom", zoomLabel, "zoomReset"),
      act("Zoom in", "+", "zoomIn"),
      act("Zoom to fit", "Fit", "fitAll"),
      act("Zoom to selection", "Sel", "fitSelection"),
    ),
    group(act("Keyboard shortcuts", "?", "help")),
  );
  rovingFocus(element);
  return {
    element,
    showTool(tool) {
      for (const [key, toolButton] of toolButtons) toolButton.setAttribute("aria-pressed", String(key === tool));
    },
    showLocked(locked) {
      lockButton.setAttribute("aria-pressed", String(locked));
    },
    showZoom(zoom) {
      // Unchanged text is not set again: each set lays the page out again (each pan step).
      const label = `${Math.round(zoom * 100)}%`;
      if (zoomLabel.textContent !== label) zoomLabel.textContent = label;
    },
  };
}

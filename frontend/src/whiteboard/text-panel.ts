// The whiteboard's text panel: font size (four presets or any size from 8 to 160) and
// alignment of text, sticky notes and labels. It shows the selection's text style (or the next
// shape's) and reports each change; the board applies it and keeps it for the next shape.

import { ALIGNS, MAX_FONT_SIZE, MIN_FONT_SIZE, type Align, type TextStyle } from "./model";
import { svg } from "./render";

export const FONT_SIZES: { name: string; label: string; size: number }[] = [
  { name: "S", label: "Small text", size: 12 },
  { name: "M", label: "Medium text", size: 16 },
  { name: "L", label: "Large text", size: 24 },
  { name: "XL", label: "Extra large text", size: 36 },
];

const ALIGN_LABELS: Record<Align, string> = { left: "Align text left", center: "Centre text", right: "Align text right" };
// Three lines of text, set left, centred or right.
const ALIGN_GLYPHS: Record<Align, string> = {
  left: "M4 6h16M4 12h10M4 18h13",
  center: "M4 6h16M7 12h10M5.5 18h13",
  right: "M4 6h16M10 12h10M7 18h13",
};

/** A font size as the panel takes it: whole board px within the allowed range; null for
 * what is not a number. */
export function fontSizeFrom(value: string): number | null {
  const size = Math.round(Number(value));
  if (value.trim() === "" || !Number.isFinite(size)) return null;
  return Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, size));
}

export interface TextPanel {
  element: HTMLElement;
  show(style: Required<TextStyle>): void;
}

function pressable(label: string, content: Node | string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "tool";
  button.setAttribute("aria-label", label);
  button.title = label;
  button.append(content);
  button.addEventListener("click", onClick);
  return button;
}

function alignIcon(align: Align): SVGSVGElement {
  const icon = svg("svg", { viewBox: "0 0 24 24", width: 18, height: 18, fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round", "aria-hidden": "true" });
  icon.append(svg("path", { d: ALIGN_GLYPHS[align] }));
  return icon;
}

export function textPanel(onChange: (changes: TextStyle) => void): TextPanel {
  const element = document.createElement("div");
  element.className = "toolbar-group board-style board-text";
  const presets = FONT_SIZES.map(({ name, label, size }) => pressable(`${label} (${size})`, name, () => onChange({ fontSize: size })));
  const size = document.createElement("input");
  size.type = "number";
  size.className = "board-font-size";
  size.min = String(MIN_FONT_SIZE);
  size.max = String(MAX_FONT_SIZE);
  size.setAttribute("aria-label", "Font size");
  size.title = `Font size (${MIN_FONT_SIZE} to ${MAX_FONT_SIZE})`;
  let shown = 16;
  size.addEventListener("change", () => {
    const chosen = fontSizeFrom(size.value);
    size.value = String(chosen ?? shown);
    if (chosen !== null) onChange({ fontSize: chosen });
  });
  const aligns = ALIGNS.map((align) => pressable(ALIGN_LABELS[align], alignIcon(align), () => onChange({ align })));
  element.append(...presets, size, ...aligns);
  return {
    element,
    show(style) {
      shown = style.fontSize;
      presets.forEach((button, index) => button.setAttribute("aria-pressed", String(FONT_SIZES[index].size === style.fontSize)));
      if (document.activeElement !== size) size.value = String(style.fontSize);
      aligns.forEach((button, index) => button.setAttribute("aria-pressed", String(ALIGNS[index] === style.align)));
    },
  };
}

// The whiteboard's style panel: stroke colour (six swatches or any colour), width, dash, fill
// and opacity. It shows the selection's style (or the style of the next shape) and reports
// each change; the board applies it to the selection and keeps it for the next shape.

import { COLORS, DASHES, type ConnectorStyle, type Dash, type ShapeType, type Style } from "./model";
import type { Tool } from "./tools";

const COLOR_NAMES = ["Black", "Red", "Blue", "Green", "Orange", "Purple"];
const WIDTHS: [string, number][] = [
  ["Thin", 1],
  ["Regular", 2],
  ["Bold", 4],
  ["Extra bold", 8],
];
const DASH_NAMES: Record<Dash, string> = { solid: "Solid", dashed: "Dashed", dotted: "Dotted" };
// What the fill colour input shows while the shape has no fill.
const DEFAULT_FILL = "#a5d8ff";

export interface StylePanel {
  element: HTMLElement;
  show(style: Style): void;
}

function labelled<K extends keyof HTMLElementTagNameMap>(tag: K, label: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.setAttribute("aria-label", label);
  element.title = label;
  return element;
}

function choice(label: string, options: [string, string][]): HTMLSelectElement {
  const select = labelled("select", label);
  select.className = "board-style-select";
  for (const [text, value] of options) select.append(new Option(text, value));
  return select;
}

export function stylePanel(onChange: (changes: Partial<Style>) => void): StylePanel {
  const element = document.createElement("div");
  element.className = "toolbar-group board-style";
  const swatches = COLORS.map((value, index) => {
    const button = labelled("button", `Colour: ${COLOR_NAMES[index]}`);
    button.type = "button";
    button.className = "tool";
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = value;
    button.append(swatch);
    button.addEventListener("click", () => onChange({ color: value }));
    return button;
  });
  const stroke = labelled("input", "Stroke colour");
  stroke.type = "color";
  stroke.addEventListener("input", () => onChange({ color: stroke.value }));
  const width = choice("Stroke width", WIDTHS.map(([name, value]) => [name, String(value)]));
  width.addEventListener("change", () => onChange({ strokeWidth: Number(width.value) }));
  const dash = choice("Dash", DASHES.map((value) => [DASH_NAMES[value], value]));
  dash.addEventListener("change", () => onChange({ dash: dash.value as Dash }));
  const filled = labelled("input", "Fill");
  filled.type = "checkbox";
  const fill = labelled("input", "Fill colour");
  fill.type = "color";
  fill.value = DEFAULT_FILL;
  filled.addEventListener("change", () => onChange({ fill: filled.checked ? fill.value : "" }));
  fill.addEventListener("input", () => onChange({ fill: fill.value }));
  const opacity = labelled("input", "Opacity");
  opacity.type = "range";
  opacity.min = "10";
  opacity.max = "100";
  opacity.step = "10";
  opacity.addEventListener("input", () => onChange({ opacity: Number(opacity.value) / 100 }));
  element.append(...swatches, stroke, width, dash, filled, fill, opacity);
  return {
    element,
    show(style) {
      swatches.forEach((button, index) => button.setAttribute("aria-pressed", String(COLORS[index] === style.color)));
      stroke.value = /^#[0-9a-f]{6}$/i.test(style.color) ? style.color : "#000000";
      width.value = String(style.strokeWidth);
      dash.value = style.dash;
      filled.checked = style.fill !== "";
      if (style.fill) fill.value = style.fill;
      opacity.value = String(Math.round(style.opacity * 100));
    },
  };
}

// The arrowheads a connector can have (start only is an arrow drawn the other way).
const HEAD_CHOICES: [string, string, ConnectorStyle][] = [
  ["End", "end", { startHead: "none", endHead: "arrow" }],
  ["Both ends", "both", { startHead: "arrow", endHead: "arrow" }],
  ["None", "none", { startHead: "none", endHead: "none" }],
];

export interface ConnectorPanel {
  element: HTMLElement;
  show(style: ConnectorStyle, type: Tool | ShapeType): void; // type: the line or arrow shown, or the tool
}

/** Arrowheads and route of lines and arrows: shown for the first selected one (or the next
 * drawn), reported on each change. */
export function connectorPanel(onChange: (changes: ConnectorStyle) => void): ConnectorPanel {
  const element = document.createElement("div");
  element.className = "toolbar-group board-style";
  const heads = choice("Arrowheads", HEAD_CHOICES.map(([name, value]) => [name, value]));
  heads.addEventListener("change", () => onChange(HEAD_CHOICES.find(([, value]) => value === heads.value)![2]));
  const route = choice("Route", [["Straight", "straight"], ["Elbow", "elbow"], ["Curved", "curved"]]);
  route.addEventListener("change", () => onChange({ route: route.value as ConnectorStyle["route"] }));
  element.append(heads, route);
  return {
    element,
    show(style, type) {
      const start = style.startHead ?? "none";
      const end = style.endHead ?? (type === "line" ? "none" : "arrow");
      heads.value = start === "arrow" ? "both" : end === "arrow" ? "end" : "none";
      route.value = style.route ?? "straight";
    },
  };
}

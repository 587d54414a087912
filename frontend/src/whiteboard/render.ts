// Shapes as SVG: the same elements draw the board and its SVG and PNG exports.

import { labelPoint, routePoints, withConnectorsRouted } from "./connector";
import type { Point } from "./geometry";
import { bounds, DEFAULT_STYLE, STICKY_FILL, type Dash, type Shape } from "./model";
import { centerOf, rotatedBounds, rotationOf } from "./rotate";
import { canvasMeasure, layoutText } from "./text";

const SVG = "http://www.w3.org/2000/svg";

// Dash patterns grow with the stroke so that they read the same at every width.
const DASH_PATTERNS: Record<Dash, (width: number) => string> = {
  solid: () => "",
  dashed: (width) => `${width * 4} ${width * 3}`,
  dotted: (width) => `0 ${width * 2.5}`,
};

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function textLines(parent: SVGElement, shape: Shape, text: string, color: string): void {
  const layout = layoutText(shape, text, canvasMeasure);
  const element = svg("text", { x: layout.x, "font-size": layout.size, fill: color, "font-family": "system-ui, sans-serif" });
  for (const line of layout.lines) {
    const span = svg("tspan", { x: layout.x, y: line.y });
    span.textContent = line.text;
    element.append(span);
  }
  parent.append(element);
}

/** An arrowhead at ``tip``, pointing away from ``from``. */
function arrowhead(tip: Point, from: Point, stroke: Record<string, string | number>): SVGElement {
  const angle = Math.atan2(tip.y - from.y, tip.x - from.x);
  const head = 14;
  const left = [tip.x - head * Math.cos(angle - 0.45), tip.y - head * Math.sin(angle - 0.45)];
  const right = [tip.x - head * Math.cos(angle + 0.45), tip.y - head * Math.sin(angle + 0.45)];
  return svg("path", { ...stroke, d: `M${left.join(" ")} L${tip.x} ${tip.y} L${right.join(" ")}`, "stroke-linejoin": "round", "stroke-dasharray": "" });
}

/** A line or arrow from (x, y) to (x + w, y + h) (a bound connector's are routed before it is
 * drawn, see connector.ts): straight or elbow, its arrowheads and its label. */
function connector(group: SVGGElement, shape: Shape, stroke: Record<string, string | number>): void {
  const ends = { start: { x: shape.x, y: shape.y }, end: { x: shape.x + shape.w, y: shape.y + shape.h } };
  const points = routePoints(shape, ends);
  const path = points.map((point) => `${point.x},${point.y}`).join(" ");
  if (points.length === 2) {
    const [a, b] = points;
    group.append(svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: "transparent", "stroke-width": 14 }));
    group.append(svg("line", { ...stroke, class: "connector-path", x1: a.x, y1: a.y, x2: b.x, y2: b.y }));
  } else {
    group.append(svg("polyline", { points: path, fill: "none", stroke: "transparent", "stroke-width": 14 }));
    group.append(svg("polyline", { ...stroke, class: "connector-path", points: path, "stroke-linejoin": "round" }));
  }
  group.dataset.start = `${ends.start.x} ${ends.start.y}`;
  group.dataset.end = `${ends.end.x} ${ends.end.y}`;
  const endHead = shape.endHead ?? (shape.type === "arrow" ? "arrow" : "none");
  if (endHead === "arrow") group.append(arrowhead(points[points.length - 1], points[points.length - 2], stroke));
  if (shape.startHead === "arrow") group.append(arrowhead(points[0], points[1], stroke));
  if (shape.text) {
    const at = labelPoint(points);
    const label = svg("text", { class: "connector-label", x: at.x, y: at.y, "text-anchor": "middle", "dominant-baseline": "middle", "font-size": 16, fill: shape.color, stroke: "#ffffff", "stroke-width": 4, "paint-order": "stroke", "font-family": "system-ui, sans-serif" });
    label.textContent = shape.text;
    group.append(label);
  }
}

export function renderShape(shape: Shape): SVGGElement {
  const group = svg("g", {
    "data-shape-id": shape.id,
    "data-shape-type": shape.type,
    "data-x": Math.round(shape.x),
    "data-y": Math.round(shape.y),
    class: "shape",
  });
  const width = shape.strokeWidth ?? DEFAULT_STYLE.strokeWidth;
  const stroke = { stroke: shape.color, "stroke-width": width, fill: "none", "vector-effect": "non-scaling-stroke", "stroke-dasharray": DASH_PATTERNS[shape.dash ?? "solid"](width), "stroke-linecap": "round" };
  // A nearly clear fill still takes the pointer inside an unfilled shape.
  const fill = shape.fill || "rgba(255,255,255,0.01)";
  if (shape.opacity !== undefined && shape.opacity < 1) group.setAttribute("opacity", String(shape.opacity));
  const box = bounds(shape);
  transformed(group, shape);
  switch (shape.type) {
    case "rect":
      group.append(svg("rect", { ...stroke, x: box.x, y: box.y, width: box.w, height: box.h, rx: 6, fill }));
      break;
    case "ellipse":
      group.append(
        svg("ellipse", { ...stroke, cx: box.x + box.w / 2, cy: box.y + box.h / 2, rx: box.w / 2, ry: box.h / 2, fill }),
      );
      break;
    case "line":
    case "arrow":
      connector(group, shape, stroke);
      break;
    case "pen": {
      const d = [];
      for (let i = 0; i + 1 < shape.points.length; i += 2) {
        d.push(`${i === 0 ? "M" : "L"}${shape.x + shape.points[i]} ${shape.y + shape.points[i + 1]}`);
      }
      group.append(svg("path", { ...stroke, d: d.join(" "), "stroke-linecap": "round", "stroke-linejoin": "round" }));
      break;
    }
    case "text":
      group.append(svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "transparent" }));
      textLines(group, shape, shape.text || "Text", shape.color);
      break;
    case "sticky":
      group.append(svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h, rx: 4, fill: shape.fill || STICKY_FILL, stroke: "#e8c95a" }));
      textLines(group, shape, shape.text, shape.color);
      break;
  }
  return group;
}

/** A rotated shape turns about its box's centre; a locked one lets the pointer through to what
 * lies under it (lock.ts). */
function transformed(group: SVGGElement, shape: Shape): void {
  const angle = rotationOf(shape);
  if (angle !== 0) {
    const center = centerOf(bounds(shape));
    const degrees = (angle * 180) / Math.PI;
    group.setAttribute("transform", `rotate(${degrees} ${center.x} ${center.y})`);
    group.dataset.rotation = String(Math.round(degrees * 100) / 100);
  }
  if (shape.locked) {
    group.setAttribute("pointer-events", "none");
    group.dataset.locked = "true";
  }
  if (shape.groupId) group.dataset.groupId = shape.groupId;
}

/** The shapes as a standalone SVG document, cropped to what they cover. */
export function exportSvg(shapes: Shape[]): string {
  return new XMLSerializer().serializeToString(boardSvg(shapes));
}

/** The whole board as one SVG element sized to its shapes: the export, and the still picture a
 * share link's guest sees (redrawn as the board changes). */
export function boardSvg(board: Shape[]): SVGSVGElement {
  const shapes = withConnectorsRouted(board);
  const margin = 24;
  const boxes = shapes.map(rotatedBounds);
  const minX = Math.min(0, ...boxes.map((b) => b.x)) - margin;
  const minY = Math.min(0, ...boxes.map((b) => b.y)) - margin;
  const maxX = Math.max(100, ...boxes.map((b) => b.x + b.w)) + margin;
  const maxY = Math.max(100, ...boxes.map((b) => b.y + b.h)) + margin;
  const root = svg("svg", {
    xmlns: SVG,
    viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`,
    width: Math.round(maxX - minX),
    height: Math.round(maxY - minY),
  });
  root.append(svg("rect", { x: minX, y: minY, width: maxX - minX, height: maxY - minY, fill: "#ffffff" }));
  for (const shape of shapes) root.append(renderShape(shape));
  return root;
}

export async function exportPng(shapes: Shape[]): Promise<Blob> {
  const source = exportSvg(shapes);
  const url = URL.createObjectURL(new Blob([source], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = image.width * scale;
    canvas.height = image.height * scale;
    const context = canvas.getContext("2d")!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG export failed"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

// The whiteboard's tools, each with the key that picks it on the canvas.

import type { ShapeType } from "./model";

// Images come from a file, a drop or a paste (images.ts), not from drawing.
export type Tool = "select" | Exclude<ShapeType, "image">;

export const TOOLS: { tool: Tool; label: string; key: string }[] = [
  { tool: "select", label: "Select", key: "v" },
  { tool: "rect", label: "Rectangle", key: "r" },
  { tool: "ellipse", label: "Ellipse", key: "o" },
  { tool: "line", label: "Line", key: "l" },
  { tool: "arrow", label: "Arrow", key: "a" },
  { tool: "pen", label: "Pen", key: "p" },
  { tool: "text", label: "Text", key: "t" },
  { tool: "sticky", label: "Sticky note", key: "s" },
  { tool: "frame", label: "Frame", key: "f" },
];

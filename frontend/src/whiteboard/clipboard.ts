// Shapes on the system clipboard, so that they paste within a board and into another one: a
// Collab MIME type carries them as JSON (text/plain carries the same JSON for browsers that
// drop custom types). What another app put there (text, a link, an image) is read here too.

import { shapeFrom, type Shape } from "./model";

export const SHAPES_MIME = "application/x-collab-shapes+json";

export function clipboardPayload(shapes: Shape[]): string {
  return JSON.stringify({ collab: "shapes", shapes });
}

/** The shapes of a payload, each checked as a stored one is read; null when the text is not
 * a Collab payload (an ordinary paste). */
export function parsePayload(text: string): Shape[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== "object" || data === null || (data as { collab?: unknown }).collab !== "shapes") return null;
  const shapes = (data as { shapes?: unknown }).shapes;
  if (!Array.isArray(shapes)) return null;
  return shapes
    .filter((raw): raw is Record<string, unknown> => typeof raw === "object" && raw !== null)
    .map((raw) => shapeFrom(String(raw.id ?? ""), (key) => raw[key]))
    .filter((shape): shape is Shape => shape !== null);
}

/** The image files on the clipboard (a screenshot, an image copied in a browser): image
 * shapes paste those, and a paste holding one is not read as text. */
export function imageFiles(data: { files: ArrayLike<File> }): File[] {
  return Array.from(data.files).filter((file) => file.type.startsWith("image/"));
}

// Control characters other apps leave in text (all but the line break) draw as boxes.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** The text another app put on the clipboard, tidied: line breaks made \n, tabs made spaces,
 * control characters and blank lines at either end dropped; a link list's first link; null
 * when there is none. */
export function outsideText(data: { getData(type: string): string }): string | null {
  const links = data
    .getData("text/uri-list")
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.startsWith("#"));
  const raw = data.getData("text/plain") || links[0] || "";
  const text = raw
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, "    ")
    .replace(CONTROL, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/^\n+|\n+$/g, "");
  return text.trim() ? text : null;
}

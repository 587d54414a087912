// Uploading one image into a document over REST (POST /api/v1/documents/{id}/images), after
// checking it against the server's limits so a file the server would refuse is not sent. The
// server decides what an image is by decoding it; the browser's type is only a first check.

import { ApiError } from "../../api";
import { sizeText } from "../../ui/size";

/** The raster types the server stores (it refuses SVG, HTML and everything else). */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** A stored image, as the server answers an upload (rooms/documents/payloads.py). */
export interface StoredImage {
  id: string;
  src: string;
  width: number;
  height: number;
  display_width: number;
  display_height: number;
}

export interface UploadOptions {
  url: string;
  csrfToken: string;
  maxBytes: number;
  fetch?: typeof fetch;
}

/** Why the server would refuse ``file``, or null if it may be sent. */
export function imageRefusal(file: File, maxBytes: number): string | null {
  if (!IMAGE_TYPES.includes(file.type)) {
    return `${file.name || "This file"} is not a PNG, JPEG, GIF or WebP image, so it cannot go in the document.`;
  }
  if (file.size > maxBytes) {
    return `${file.name || "This image"} is ${sizeText(file.size)}: images may be at most ${sizeText(maxBytes)}.`;
  }
  return null;
}

/** The files a paste or a drop carries to upload. None for plain text or HTML, and none when
 * the HTML has text of its own: a word processor puts a picture of the copied passage beside
 * its HTML, and the passage is what the person meant to paste. */
export function transferredFiles(data: Pick<DataTransfer, "files" | "getData"> | null): File[] {
  if (!data || data.files.length === 0) return [];
  const html = data.getData("text/html");
  const text = html.replace(/<[^>]*>/g, "").replace(/&nbsp;|&#160;/g, " ").trim();
  return text ? [] : Array.from(data.files);
}

/** Stores ``file`` in the document; rejects with an ``ApiError`` carrying the server's message
 * (too large, not an image, not allowed) or a network failure. */
export async function uploadImage(file: File, options: UploadOptions): Promise<StoredImage> {
  const form = new FormData();
  form.append("file", file, file.name || "image");
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": options.csrfToken },
      body: form,
    });
  } catch {
    throw new ApiError("The server cannot be reached, so the image was not added.", 0, null);
  }
  const body = (await response.json().catch(() => null)) as (StoredImage & { detail?: string; code?: string }) | null;
  if (!response.ok || body === null) {
    throw new ApiError(body?.detail ?? `The server answered ${response.status}; the image was not added.`, response.status, body?.code ?? null);
  }
  return body;
}

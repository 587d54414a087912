// Images onto the board: picked with the toolbar's Image button, dropped from the desktop or
// pasted from the clipboard. Each file is checked and uploaded to the document's images (the
// text editor's upload client, editor/images/upload.ts); only once the server has stored it
// does its shape enter the board, and so reach anyone else. A refused or failed file adds
// nothing and says why above the canvas.

import { errorMessage } from "../api";
import { IMAGE_TYPES, imageRefusal, transferredFiles, uploadImage, type UploadOptions } from "../editor/images/upload";
import type { Point } from "./geometry";
import { imageUrl } from "./image-cache";
import type { PlacedImage } from "./image-place";
import type { Shape } from "./model";

/** Uploads ``files`` in parallel; resolves with those stored, in the files' order. Each file
 * refused here (type, size) or by the server is reported to ``onError`` and left out. */
export async function uploadedImages(files: File[], options: UploadOptions, onError: (message: string) => void): Promise<PlacedImage[]> {
  const results = await Promise.all(
    files.map(async (file): Promise<PlacedImage | null> => {
      const refusal = imageRefusal(file, options.maxBytes);
      if (refusal) {
        onError(refusal);
        return null;
      }
      try {
        const stored = await uploadImage(file, options);
        return { imageId: stored.id, width: stored.display_width, height: stored.display_height };
      } catch (reason) {
        onError(errorMessage(reason, `${file.name || "The image"} could not be uploaded.`));
        return null;
      }
    }),
  );
  return results.filter((image): image is PlacedImage => image !== null);
}

/** ``shapes`` pasted from the board ``source``, with each image copied into this board (read
 * from the source as uploaded, stored here: an image belongs to one document, and this
 * board's readers may not read the other's). An image that cannot be copied is left out and
 * reported to ``onError``; the same image pasted twice is copied once. */
export async function imagesCopiedFrom(shapes: Shape[], source: string, options: UploadOptions, onError: (message: string) => void): Promise<Shape[]> {
  const copies = new Map<string, Promise<string | null>>();
  const copy = async (imageId: string): Promise<string | null> => {
    try {
      const response = await (options.fetch ?? fetch)(`${imageUrl(source, imageId)}?original`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      const blob = await response.blob();
      const stored = await uploadImage(new File([blob], "image", { type: blob.type }), options);
      return stored.id;
    } catch (reason) {
      onError(errorMessage(reason, "An image of the other board could not be copied into this one."));
      return null;
    }
  };
  const results = await Promise.all(
    shapes.map(async (shape) => {
      if (shape.type !== "image" || !shape.imageId) return shape;
      if (!copies.has(shape.imageId)) copies.set(shape.imageId, copy(shape.imageId));
      const imageId = await copies.get(shape.imageId)!;
      return imageId ? { ...shape, imageId } : null;
    }),
  );
  return results.filter((shape): shape is Shape => shape !== null);
}

export interface BoardImagesOptions {
  documentId: string;
  csrfToken: string;
  maxBytes: number;
  canWrite: boolean;
  canvas: HTMLElement;
  /** The board point under a client point, or the view's centre for null. */
  pointAt(client: Point | null): Point;
  /** Puts the stored images on the board around ``at`` (one transaction). */
  insert(images: PlacedImage[], at: Point): void;
}

export interface BoardImages {
  /** The picker, the upload status and the error notice, for the board to show. */
  elements: HTMLElement[];
  /** Opens the file picker. */
  pick(): void;
  /** Uploads the image files a paste carries (clipboard.ts ``imageFiles``) as image shapes. */
  paste(files: File[]): void;
  /** ``shapes`` pasted from board ``source`` with their images copied into this one. */
  copiedFrom(shapes: Shape[], source: string): Promise<Shape[]>;
  destroy(): void;
}

export function boardImages(options: BoardImagesOptions): BoardImages {
  const upload: UploadOptions = { url: `/api/v1/documents/${options.documentId}/images`, csrfToken: options.csrfToken, maxBytes: options.maxBytes };
  const picker = document.createElement("input");
  picker.type = "file";
  picker.accept = IMAGE_TYPES.join(",");
  picker.multiple = true;
  picker.hidden = true;
  picker.dataset.testid = "board-image-picker";
  const status = document.createElement("p");
  status.className = "board-upload-status";
  status.setAttribute("role", "status");
  status.dataset.testid = "board-image-status";
  status.hidden = true;
  const notice = document.createElement("p");
  notice.className = "board-notice";
  notice.setAttribute("role", "alert");
  notice.dataset.testid = "board-image-error";
  notice.hidden = true;
  const message = document.createElement("span");
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.textContent = "Dismiss";
  dismiss.addEventListener("click", () => (notice.hidden = true));
  notice.append(message, dismiss);
  let pending = 0;

  /** Runs ``work`` on ``count`` images with the upload status shown, then any errors. */
  async function uploading<T>(count: number, work: (onError: (text: string) => void) => Promise<T>): Promise<T> {
    const errors: string[] = [];
    const showPending = () => {
      status.hidden = pending === 0;
      status.textContent = pending === 0 ? "" : `Uploading ${pending} image${pending === 1 ? "" : "s"}…`;
    };
    notice.hidden = true;
    pending += count;
    showPending();
    const result = await work((text) => errors.push(text));
    pending -= count;
    showPending();
    if (errors.length > 0) {
      message.textContent = errors.join(" ");
      notice.hidden = false;
    }
    return result;
  }

  async function add(files: File[], at: Point): Promise<void> {
    if (files.length === 0) return;
    const stored = await uploading(files.length, (onError) => uploadedImages(files, upload, onError));
    if (stored.length > 0) options.insert(stored, at);
  }

  picker.addEventListener("change", () => {
    const files = Array.from(picker.files ?? []);
    picker.value = ""; // the same file picked again is a new change
    void add(files, options.pointAt(null));
  });
  // Files dragged over the board are taken (a reader's too: the browser would otherwise
  // leave the board to open the file), and added if this person may write.
  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = options.canWrite ? "copy" : "none";
    options.canvas.classList.toggle("board-drop-target", options.canWrite);
  };
  const onDragLeave = () => options.canvas.classList.remove("board-drop-target");
  const onDrop = (event: DragEvent) => {
    onDragLeave();
    const files = transferredFiles(event.dataTransfer);
    if (files.length === 0) return;
    event.preventDefault();
    if (options.canWrite) void add(files, options.pointAt({ x: event.clientX, y: event.clientY }));
  };
  options.canvas.addEventListener("dragover", onDragOver);
  options.canvas.addEventListener("dragleave", onDragLeave);
  options.canvas.addEventListener("drop", onDrop);

  return {
    elements: [picker, status, notice],
    pick: () => picker.click(),
    paste(files) {
      void add(files, options.pointAt(null));
    },
    copiedFrom(shapes, source) {
      const count = shapes.filter((shape) => shape.type === "image").length;
      return uploading(count, (onError) => imagesCopiedFrom(shapes, source, upload, onError));
    },
    destroy() {
      options.canvas.removeEventListener("dragover", onDragOver);
      options.canvas.removeEventListener("dragleave", onDragLeave);
      options.canvas.removeEventListener("drop", onDrop);
    },
  };
}

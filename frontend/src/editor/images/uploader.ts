// Putting uploaded images into the document. Each file is checked, then uploaded while a
// placeholder shows the uploader where it will go; the image node enters the document (and so
// the shared Yjs document, for everyone at once) only after the server has stored it, with the
// stored image's URL as its src. A refused or failed upload removes the placeholder, says why,
// and changes nothing else.

import type { EditorState, Transaction } from "@tiptap/pm/state";
import { errorMessage } from "../../api";
import { addPlaceholder, placeholderPos, removePlaceholder } from "./placeholders";
import { imageRefusal, uploadImage, type StoredImage, type UploadOptions } from "./upload";

/** What the uploader needs of an editor view: its state and a way to change it. */
export interface ViewLike {
  state: EditorState;
  dispatch(tr: Transaction): void;
}

export interface ImageUploadOptions extends UploadOptions {
  /** Shows a message about an upload that did not go in (too large, wrong type, failed). */
  onError(message: string): void;
}

let uploads = 0;

function imageAttributes(image: StoredImage): Record<string, unknown> {
  return { src: image.src, alt: null, title: null, width: null, height: null };
}

/** Uploads ``files`` and puts each stored image at ``pos`` (mapped through whatever edits
 * happen meanwhile). Resolves once every file is in or refused. */
export async function insertImages(view: ViewLike, files: File[], pos: number, options: ImageUploadOptions): Promise<void> {
  await Promise.all(files.map((file) => insertImage(view, file, pos, options)));
}

async function insertImage(view: ViewLike, file: File, pos: number, options: ImageUploadOptions): Promise<void> {
  const refusal = imageRefusal(file, options.maxBytes);
  if (refusal) {
    options.onError(refusal);
    return;
  }
  const id = `upload-${++uploads}`;
  view.dispatch(addPlaceholder(view.state.tr, id, pos, file.name || "image"));
  let image: StoredImage;
  try {
    image = await uploadImage(file, options);
  } catch (reason) {
    view.dispatch(removePlaceholder(view.state.tr, id));
    options.onError(errorMessage(reason, "The image could not be uploaded."));
    return;
  }
  const { state } = view;
  // A placeholder whose place was deleted meanwhile: the image goes where the caret is.
  const at = placeholderPos(state, id) ?? state.selection.from;
  const node = state.schema.nodes.image.create(imageAttributes(image));
  view.dispatch(removePlaceholder(state.tr, id).replaceRangeWith(at, at, node));
}

// Images in the editor, as one piece for editor.ts to mount: the `image` node, uploads by
// paste, drop and the toolbar's button, and the notice that says why an image did not go in.

import type { AnyExtension } from "@tiptap/core";
import { DocumentImage } from "./node";
import { ImageUploads } from "./uploads";
import "./images.css";

export { openAltDialog } from "./alt-dialog";
export { pickImages } from "./uploads";

export interface ImageSupport {
  extensions: AnyExtension[];
  /** Where a refused or failed upload is explained; goes above the text. */
  notice: HTMLElement;
}

/** The image extensions for the document ``documentId``, uploading with ``csrfToken``, and
 * their notice. Readers get the same node (they see images) and no way to add one. */
export function imageSupport(options: { documentId: string; csrfToken: string; maxBytes: number }): ImageSupport {
  const notice = document.createElement("p");
  notice.className = "doc-banner image-notice";
  notice.setAttribute("role", "alert");
  notice.dataset.testid = "image-error";
  notice.hidden = true;
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "small secondary";
  dismiss.textContent = "Dismiss";
  const text = document.createElement("span");
  notice.append(text, dismiss);
  dismiss.addEventListener("click", () => (notice.hidden = true));
  const onError = (message: string) => {
    text.textContent = message;
    notice.hidden = false;
  };
  return {
    extensions: [
      DocumentImage,
      ImageUploads.configure({
        url: `/api/v1/documents/${options.documentId}/images`,
        csrfToken: options.csrfToken,
        maxBytes: options.maxBytes,
        onError,
      }),
    ],
    notice,
  };
}

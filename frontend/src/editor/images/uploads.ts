// Images come into the editor three ways: pasted (image data on the clipboard), dropped
// (files dragged from the desktop), or picked with the toolbar's button. All three go through
// `insertImages`. Plain text and HTML pastes and drags within the document are left to Tiptap.

import { Extension, type Editor } from "@tiptap/core";
import { Plugin } from "@tiptap/pm/state";
import { placeholderPlugin } from "./placeholders";
import { IMAGE_TYPES, transferredFiles } from "./upload";
import { insertImages, type ImageUploadOptions } from "./uploader";

export const ImageUploads = Extension.create<ImageUploadOptions>({
  name: "imageUploads",

  addOptions() {
    return { url: "", csrfToken: "", maxBytes: 10 * 1024 * 1024, onError: () => {} };
  },

  addProseMirrorPlugins() {
    const { editor, options } = this;
    return [
      placeholderPlugin(),
      new Plugin({
        props: {
          handlePaste(view, event) {
            const files = transferredFiles(event.clipboardData);
            if (!files.length || !editor.isEditable) return false;
            void insertImages(view, files, view.state.selection.from, options);
            return true;
          },
          handleDrop(view, event, _slice, moved) {
            const files = transferredFiles(event.dataTransfer);
            if (moved || !files.length || !editor.isEditable) return false;
            event.preventDefault();
            const pos = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos ?? view.state.selection.from;
            void insertImages(view, files, pos, options);
            return true;
          },
        },
      }),
    ];
  },
});

/** Opens the file picker and uploads the images chosen into the document at the caret. */
export function pickImages(editor: Editor): void {
  const extension = editor.extensionManager.extensions.find((candidate) => candidate.name === ImageUploads.name);
  if (!extension || !editor.isEditable) return;
  const options = extension.options as ImageUploadOptions;
  const picker = document.createElement("input");
  picker.type = "file";
  picker.accept = IMAGE_TYPES.join(",");
  picker.multiple = true;
  picker.hidden = true;
  picker.dataset.testid = "image-picker";
  picker.addEventListener("change", () => {
    const files = Array.from(picker.files ?? []);
    picker.remove();
    if (files.length) void insertImages(editor.view, files, editor.state.selection.from, options);
  });
  picker.addEventListener("cancel", () => picker.remove());
  document.body.append(picker);
  picker.click();
}

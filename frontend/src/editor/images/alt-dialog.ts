// Describe the selected image for people who cannot see it: its alt text, in a small modal
// dialog like the link dialog.

import type { Editor } from "@tiptap/core";
import { showEditorDialog } from "../dialog";

export function openAltDialog(editor: Editor): void {
  if (!editor.isActive("image")) return;
  const dialog = document.createElement("dialog");
  dialog.className = "link-dialog";
  dialog.setAttribute("aria-labelledby", "alt-dialog-title");
  dialog.innerHTML = `
    <form method="dialog" class="link-form">
      <h2 id="alt-dialog-title">Image description</h2>
      <label for="image-alt">Alt text: what the image shows, for people who cannot see it</label>
      <input id="image-alt" name="alt" type="text" maxlength="500" autocomplete="off">
      <div class="dialog-actions">
        <span class="spacer"></span>
        <button type="button" class="secondary" data-action="cancel">Cancel</button>
        <button type="submit" data-action="apply">Apply</button>
      </div>
    </form>`;
  const input = dialog.querySelector<HTMLInputElement>("#image-alt")!;
  input.value = (editor.getAttributes("image").alt as string | null) ?? "";
  const close = showEditorDialog(editor, dialog, input);
  dialog.querySelector("form")!.addEventListener("submit", (event) => {
    event.preventDefault();
    editor.chain().focus().updateAttributes("image", { alt: input.value.trim() || null }).run();
    close();
  });
}

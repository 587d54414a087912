// The editor's small modal dialogs (link, image description): shown over the page; Cancel or
// Escape closes one, and closing puts the focus back in the text.

import type { Editor } from "@tiptap/core";

/** Shows ``dialog`` and selects ``input``'s text; returns the function that closes it. */
export function showEditorDialog(editor: Editor, dialog: HTMLDialogElement, input: HTMLInputElement): () => void {
  const close = () => {
    dialog.close();
    dialog.remove();
    editor.commands.focus();
  };
  dialog.querySelector('[data-action="cancel"]')?.addEventListener("click", close);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    close();
  });
  document.body.append(dialog);
  dialog.showModal();
  input.select();
  return close;
}

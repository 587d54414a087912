// Add, change or remove the link at the selection, in a small modal dialog.

import type { Editor } from "@tiptap/core";
import { showEditorDialog } from "./dialog";

const SAFE_SCHEMES = /^(https?:|mailto:|tel:|\/|#)/i;

export function normalizeUrl(raw: string): string {
  const url = raw.trim();
  if (!url) return "";
  return SAFE_SCHEMES.test(url) ? url : `https://${url}`;
}

export function openLinkDialog(editor: Editor): void {
  const dialog = document.createElement("dialog");
  dialog.className = "link-dialog";
  dialog.setAttribute("aria-labelledby", "link-dialog-title");
  dialog.innerHTML = `
    <form method="dialog" class="link-form">
      <h2 id="link-dialog-title">Link</h2>
      <label for="link-url">Address</label>
      <input id="link-url" name="url" type="text" inputmode="url" placeholder="https://example.com" autocomplete="off">
      <div class="dialog-actions">
        <button type="button" class="secondary" data-action="remove">Remove link</button>
        <span class="spacer"></span>
        <button type="button" class="secondary" data-action="cancel">Cancel</button>
        <button type="submit" data-action="apply">Apply</button>
      </div>
    </form>`;
  const input = dialog.querySelector<HTMLInputElement>("#link-url")!;
  const current = editor.getAttributes("link").href as string | undefined;
  input.value = current ?? "";
  dialog.querySelector<HTMLButtonElement>('[data-action="remove"]')!.hidden = !current;
  const close = showEditorDialog(editor, dialog, input);
  dialog.querySelector('[data-action="remove"]')!.addEventListener("click", () => {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    close();
  });
  dialog.querySelector("form")!.addEventListener("submit", (event) => {
    event.preventDefault();
    const href = normalizeUrl(input.value);
    if (href && !current && editor.state.selection.empty) {
      // Nothing selected: the address itself becomes the linked text.
      editor.chain().focus().insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href } }] }).run();
    } else {
      const chain = editor.chain().focus().extendMarkRange("link");
      if (href) chain.setLink({ href }).run();
      else chain.unsetLink().run();
    }
    close();
  });
}

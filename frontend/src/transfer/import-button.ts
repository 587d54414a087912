// The Import button under the room's New form: pick a Markdown, HTML or Word file and it
// becomes a new document, which then opens; a refused file (too large, unknown, corrupt)
// says why and nothing is created.

import { errorMessage } from "../api";
import { IMPORT_ACCEPT, importFile } from "./transfer";
import "./transfer.css";

export interface ImportOptions {
  importUrl: string;
  csrfToken: string;
  /** Where a new document opens: its id goes in place of the placeholder. */
  open(documentId: string): void;
}

export function mountImportButton(host: HTMLElement, options: ImportOptions): HTMLElement {
  const wrapper = document.createElement("div");
  wrapper.className = "import-document";
  const input = document.createElement("input");
  input.type = "file";
  input.accept = IMPORT_ACCEPT;
  input.hidden = true;
  input.setAttribute("aria-label", "File to import");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary small";
  button.textContent = "Import a file…";
  button.title = "A Markdown (.md), HTML (.html) or Word (.docx) file becomes a new document";
  const error = document.createElement("p");
  error.className = "form-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    button.disabled = true;
    error.hidden = true;
    try {
      const created = await importFile(options.importUrl, file, options.csrfToken);
      options.open(created.id);
    } catch (reason) {
      error.textContent = errorMessage(reason, "The import failed. Try again.");
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  wrapper.append(button, input, error);
  host.append(wrapper);
  return wrapper;
}

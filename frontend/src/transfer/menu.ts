// The Export menu in an open document's header: each choice downloads the file the server
// renders (Markdown, HTML, PDF, Word; a whiteboard as PNG, SVG, PDF), and a refusal says why.

import { errorMessage } from "../api";
import { download, exportChoices, fetchExport, type DocumentKind } from "./transfer";
import "./transfer.css";

export interface ExportTarget {
  id: string;
  title: string;
  kind: DocumentKind;
}

export function mountExportMenu(host: HTMLElement, target: ExportTarget): HTMLElement {
  const menu = document.createElement("details");
  menu.className = "export-menu";
  const summary = document.createElement("summary");
  summary.className = "secondary small";
  summary.textContent = "Export";
  const list = document.createElement("div");
  list.className = "export-choices";
  list.setAttribute("role", "menu");
  const status = document.createElement("p");
  status.className = "form-error export-error";
  status.setAttribute("role", "alert");
  status.hidden = true;
  for (const choice of exportChoices(target.kind)) {
    const item = document.createElement("button");
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.dataset.format = choice.format;
    item.textContent = choice.label;
    item.addEventListener("click", async () => {
      item.disabled = true;
      status.hidden = true;
      try {
        const file = await fetchExport(target.id, choice.format, `${target.title}.${choice.format}`);
        download(file.blob, file.filename);
        menu.open = false;
      } catch (reason) {
        status.textContent = errorMessage(reason, "The export failed. Try again.");
        status.hidden = false;
      } finally {
        item.disabled = false;
      }
    });
    list.append(item);
  }
  menu.append(summary, list, status);
  host.append(menu);
  return menu;
}

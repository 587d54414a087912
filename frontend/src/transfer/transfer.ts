// Files in and out over REST: download a document as a file (the server renders it) and
// upload a Markdown, HTML or Word file as a new document. Pure of the page: the menu and the
// button (menu.ts, import-button.ts) call these.

import { ApiError, apiFailure } from "../api";

export type DocumentKind = "text" | "whiteboard";

export interface ExportChoice {
  format: string;
  label: string;
}

const TEXT_EXPORTS: ExportChoice[] = [
  { format: "markdown", label: "Markdown (.md)" },
  { format: "html", label: "HTML (.html)" },
  { format: "pdf", label: "PDF (.pdf)" },
  { format: "docx", label: "Word (.docx)" },
];
const WHITEBOARD_EXPORTS: ExportChoice[] = [
  { format: "png", label: "PNG image (.png)" },
  { format: "svg", label: "SVG image (.svg)" },
  { format: "pdf", label: "PDF (.pdf)" },
];

export const IMPORT_ACCEPT = ".md,.markdown,.html,.htm,.docx";

export function exportChoices(kind: DocumentKind): ExportChoice[] {
  return kind === "whiteboard" ? WHITEBOARD_EXPORTS : TEXT_EXPORTS;
}

export function exportUrl(documentId: string, format: string): string {
  return `/api/v1/documents/${encodeURIComponent(documentId)}/export?format=${encodeURIComponent(format)}`;
}

/** The file name a Content-Disposition header gives (RFC 6266 filename* first), or null. */
export function attachmentName(header: string | null): string | null {
  if (!header) return null;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"((?:[^"\\]|\\.)*)"|filename\s*=\s*([^;]+)/i.exec(header);
  if (!plain) return null;
  return (plain[1] ?? plain[2]).replace(/\\(.)/g, "$1").trim() || null;
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** Fetches a document's export. Throws ApiError with the server's message on a refusal. */
export async function fetchExport(documentId: string, format: string, fallbackName: string): Promise<DownloadedFile> {
  let response: Response;
  try {
    response = await fetch(exportUrl(documentId, format), { credentials: "same-origin" });
  } catch {
    throw new ApiError("The server cannot be reached. Check your connection.", 0, null);
  }
  if (!response.ok) throw await apiFailure(response);
  const filename = attachmentName(response.headers.get("Content-Disposition")) ?? fallbackName;
  return { blob: await response.blob(), filename };
}

export interface ImportedDocument {
  id: string;
  title: string;
}

/** Uploads a file as a new document of the room. Throws ApiError (413, 415, 400 …). */
export async function importFile(importUrl: string, file: File, csrfToken: string): Promise<ImportedDocument> {
  const data = new FormData();
  data.append("file", file, file.name);
  let response: Response;
  try {
    response = await fetch(importUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      body: data,
    });
  } catch {
    throw new ApiError("The server cannot be reached. Check your connection.", 0, null);
  }
  if (!response.ok) throw await apiFailure(response);
  return (await response.json()) as ImportedDocument;
}

/** Hands a blob to the browser as a download named ``name``. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the browser reads the blob after click() returns.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

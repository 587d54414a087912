// Exporting the whole board or a selection as PNG, SVG or PDF. Pictures are drawn in the page
// from render.ts; a whole board's PDF comes from the server (the document's export), and a
// selection's is the JPEG of it in a one-page PDF (pdf.ts).

import { download, fetchExport } from "../transfer/transfer";
import type { ExportFormat, ExportScope } from "./export-menu";
import type { Shape } from "./model";
import { imagePdf } from "./pdf";
import type { Drawing } from "./content-render";
import { EXPORT_SCALE, exportPng, exportSvg } from "./render";

/** ``drawing`` carries the board's images as data URLs, so the picture holds their pixels. */
export async function exportBoard(target: { id: string; title: string }, scope: ExportScope, format: ExportFormat, shapes: Shape[], drawing: Drawing): Promise<void> {
  const name = `${target.title}${scope === "selection" ? " (selection)" : ""}.${format}`;
  if (format === "svg") return download(new Blob([exportSvg(shapes, drawing)], { type: "image/svg+xml" }), name);
  if (format === "png") return download(await exportPng(shapes, drawing), name);
  if (scope === "board") {
    const file = await fetchExport(target.id, "pdf", name);
    return download(file.blob, file.filename);
  }
  const jpeg = await exportPng(shapes, drawing, "image/jpeg");
  const picture = await createImageBitmap(jpeg);
  const pixels = { w: picture.width, h: picture.height };
  picture.close();
  const pdf = imagePdf(new Uint8Array(await jpeg.arrayBuffer()), pixels, { w: pixels.w / EXPORT_SCALE, h: pixels.h / EXPORT_SCALE });
  download(new Blob([pdf.buffer as ArrayBuffer], { type: "application/pdf" }), name);
}

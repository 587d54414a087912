// A one-page PDF showing one JPEG image, for exporting a selection as PDF in the page (the
// server renders whole boards). JPEG because PDF embeds its bytes as they are (DCTDecode).

const MAX_PAGE = 14400; // points: the largest page PDF readers accept

/** A PDF whose single page is ``image`` (JPEG bytes, ``pixels`` wide and high) at ``size``
 * CSS pixels (shown at 0.75 pt each, as a browser prints; shrunk to fit PDF's largest page). */
export function imagePdf(image: Uint8Array, pixels: { w: number; h: number }, size: { w: number; h: number }): Uint8Array {
  const fit = Math.min(1, MAX_PAGE / (size.w * 0.75), MAX_PAGE / (size.h * 0.75));
  const width = round(size.w * 0.75 * fit);
  const height = round(size.h * 0.75 * fit);
  const draw = `q ${width} 0 0 ${height} 0 0 cm /Im0 Do Q`;
  const objects: (string | [string, Uint8Array])[] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`,
    [`<< /Type /XObject /Subtype /Image /Width ${pixels.w} /Height ${pixels.h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${image.length} >>`, image],
    [`<< /Length ${draw.length} >>`, new TextEncoder().encode(draw)],
  ];
  const parts: Uint8Array[] = [];
  let length = 0;
  const write = (part: string | Uint8Array) => {
    const bytes = typeof part === "string" ? new TextEncoder().encode(part) : part;
    parts.push(bytes);
    length += bytes.length;
  };
  write("%PDF-1.4\n%\u00e2\u00e3\n");
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    write(`${index + 1} 0 obj\n`);
    if (typeof object === "string") write(`${object}\n`);
    else {
      write(`${object[0]}\nstream\n`);
      write(object[1]);
      write("\nendstream\n");
    }
    write("endobj\n");
  });
  const xref = length;
  // Each cross-reference entry is exactly 20 bytes.
  write(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("")}`);
  write(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const pdf = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    pdf.set(part, at);
    at += part.length;
  }
  return pdf;
}

const round = (value: number) => Math.round(value * 100) / 100;

import { describe, expect, it } from "vitest";
import { attachmentName, exportChoices, exportUrl } from "./transfer";

describe("attachmentName", () => {
  it("reads a quoted file name", () => {
    expect(attachmentName('attachment; filename="Launch plan.docx"')).toBe("Launch plan.docx");
  });

  it("prefers the UTF-8 name Django sends for other characters", () => {
    expect(attachmentName("attachment; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20plan.pdf")).toBe("Grüße plan.pdf");
  });

  it("reads an unquoted name and unescapes a quoted one", () => {
    expect(attachmentName("attachment; filename=plain.md")).toBe("plain.md");
    expect(attachmentName('attachment; filename="say \\"hi\\".html"')).toBe('say "hi".html');
  });

  it("gives null when there is no name", () => {
    expect(attachmentName(null)).toBeNull();
    expect(attachmentName("attachment")).toBeNull();
  });
});

describe("export choices", () => {
  it("offers a text document's four formats and a whiteboard's three", () => {
    expect(exportChoices("text").map((c) => c.format)).toEqual(["markdown", "html", "pdf", "docx"]);
    expect(exportChoices("whiteboard").map((c) => c.format)).toEqual(["png", "svg", "pdf"]);
  });

  it("builds the export address with the format as a query", () => {
    expect(exportUrl("abc-1", "docx")).toBe("/api/v1/documents/abc-1/export?format=docx");
  });
});

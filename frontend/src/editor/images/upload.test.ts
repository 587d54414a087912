import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api";
import { imageRefusal, transferredFiles, uploadImage } from "./upload";

const MB = 1024 * 1024;

function png(size = 10, name = "shot.png"): File {
  return new File([new Uint8Array(size)], name, { type: "image/png" });
}

function reply(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

describe("imageRefusal", () => {
  it("lets a PNG, JPEG, GIF or WebP within the limit through", () => {
    for (const type of ["image/png", "image/jpeg", "image/gif", "image/webp"]) {
      expect(imageRefusal(new File(["x"], "a", { type }), MB)).toBeNull();
    }
  });

  it("refuses SVG and anything else that is not a raster image the server stores", () => {
    const svg = new File(["<svg/>"], "logo.svg", { type: "image/svg+xml" });
    expect(imageRefusal(svg, MB)).toBe("logo.svg is not a PNG, JPEG, GIF or WebP image, so it cannot go in the document.");
    expect(imageRefusal(new File(["%PDF"], "a.pdf", { type: "application/pdf" }), MB)).toMatch(/^a\.pdf is not a PNG/);
  });

  it("refuses an image past the limit, saying both sizes", () => {
    expect(imageRefusal(png(3 * MB), 2 * MB)).toBe("shot.png is 3.0 MB: images may be at most 2.0 MB.");
    expect(imageRefusal(png(2 * MB), 2 * MB)).toBeNull();
  });
});

describe("transferredFiles", () => {
  const transfer = (files: File[], html = "") => ({
    files: files as unknown as FileList,
    getData: (type: string) => (type === "text/html" ? html : ""),
  });

  it("takes the files of a paste or drop, and none from a text paste", () => {
    const file = png();
    expect(transferredFiles(transfer([file]))).toEqual([file]);
    expect(transferredFiles(transfer([], "<p>words</p>"))).toEqual([]);
    expect(transferredFiles(null)).toEqual([]);
  });

  it("takes a copied image's file even with the <img> HTML the browser adds", () => {
    const file = png();
    expect(transferredFiles(transfer([file], '<meta charset="utf-8"><img src="https://example.com/a.png">'))).toEqual([file]);
  });

  it("leaves a word processor's passage to the HTML paste, not the picture of it", () => {
    expect(transferredFiles(transfer([png()], "<p>Quarterly&nbsp;<b>results</b></p>"))).toEqual([]);
  });
});

describe("uploadImage", () => {
  const options = { url: "/api/v1/documents/d1/images", csrfToken: "tok", maxBytes: MB };

  it("posts the file as multipart with the CSRF token and returns the stored image", async () => {
    const stored = { id: "i1", src: "/api/v1/documents/d1/images/i1", width: 4, height: 2, display_width: 4, display_height: 2 };
    const fetch = vi.fn().mockResolvedValue(reply(stored, 201));
    const file = png();
    expect(await uploadImage(file, { ...options, fetch })).toEqual(stored);
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/documents/d1/images");
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>)["X-CSRFToken"]).toBe("tok");
    expect((init.body as FormData).get("file")).toBeInstanceOf(File);
    expect(((init.body as FormData).get("file") as File).name).toBe("shot.png");
  });

  it("rejects with the server's message when it refuses the file", async () => {
    const detail = "Only PNG, JPEG, GIF and WebP images can be uploaded, and this file does not read as one of them.";
    const fetch = vi.fn().mockResolvedValue(reply({ detail, code: "unsupported_media_type" }, 415));
    const error = await uploadImage(png(), { ...options, fetch }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ message: detail, status: 415, code: "unsupported_media_type" });
  });

  it("says the server cannot be reached when the request fails", async () => {
    const fetch = vi.fn().mockRejectedValue(new TypeError("network"));
    await expect(uploadImage(png(), { ...options, fetch })).rejects.toMatchObject({
      message: "The server cannot be reached, so the image was not added.",
      status: 0,
    });
  });
});

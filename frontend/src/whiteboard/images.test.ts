import { describe, expect, it } from "vitest";
import { imagesCopiedFrom, uploadedImages } from "./images";
import type { Shape } from "./model";

const file = (name: string, type = "image/png", size = 10) => new File([new Uint8Array(size)], name, { type });

function server(answers: Record<string, { status: number; body: unknown }>) {
  const sent: string[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    const name = ((init.body as FormData).get("file") as File).name;
    sent.push(name);
    const { status, body } = answers[name];
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

describe("uploading images onto the board", () => {
  it("keeps the stored images in the files' order and explains each refusal", async () => {
    const stored = (id: string) => ({ status: 201, body: { id, src: `/x/${id}`, width: 3000, height: 1500, display_width: 1600, display_height: 800 } });
    const { fetch, sent } = server({ "a.png": stored("img-a"), "b.png": stored("img-b"), "bomb.png": { status: 413, body: { detail: "Images are at most 50,000,000 pixels.", code: "image_too_many_pixels" } } });
    const errors: string[] = [];
    const images = await uploadedImages([file("a.png"), file("notes.txt", "text/plain"), file("huge.png", "image/png", 2000), file("bomb.png"), file("b.png")], { url: "/api/v1/documents/d/images", csrfToken: "t", maxBytes: 1000, fetch }, (message) => errors.push(message));
    expect(images).toEqual([
      { imageId: "img-a", width: 1600, height: 800 },
      { imageId: "img-b", width: 1600, height: 800 },
    ]);
    expect(sent.sort()).toEqual(["a.png", "b.png", "bomb.png"]); // refused here: never sent
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/notes\.txt is not a PNG, JPEG, GIF or WebP image/);
    expect(errors[1]).toMatch(/huge\.png is .* images may be at most/);
    expect(errors[2]).toBe("Images are at most 50,000,000 pixels.");
  });
});

describe("pasting another board's images", () => {
  it("copies each image into this board once, and leaves out one that cannot be read", async () => {
    const requests: string[] = [];
    let uploads = 0;
    const fetch = (async (url: string, init?: RequestInit) => {
      requests.push(`${init?.method ?? "GET"} ${url}`);
      if (init?.method === "POST") {
        const sent = (init.body as FormData).get("file") as File;
        expect(sent.type).toBe("image/png");
        return new Response(JSON.stringify({ id: `copy-${++uploads}`, src: "", width: 2, height: 1, display_width: 2, display_height: 1 }), { status: 201 });
      }
      if (url.includes("/gone")) return new Response("{}", { status: 404 });
      return new Response(new Blob([new Uint8Array(4)], { type: "image/png" }));
    }) as typeof globalThis.fetch;
    const image = (id: string, imageId: string): Shape => ({ id, type: "image", x: 0, y: 0, w: 2, h: 1, color: "#000000", text: "", points: [], z: 1, imageId, alt: "" });
    const rect: Shape = { ...image("r", ""), type: "rect" };
    const errors: string[] = [];
    const shapes = await imagesCopiedFrom([image("a", "pic"), rect, image("b", "pic"), image("c", "gone")], "source-board", { url: "/api/v1/documents/here/images", csrfToken: "t", maxBytes: 1000, fetch }, (message) => errors.push(message));
    expect(shapes.map((shape) => [shape.id, shape.imageId])).toEqual([
      ["a", "copy-1"],
      ["r", ""],
      ["b", "copy-1"],
    ]);
    expect(requests.sort()).toEqual(["GET /api/v1/documents/source-board/images/gone?original", "GET /api/v1/documents/source-board/images/pic?original", "POST /api/v1/documents/here/images"]);
    expect(errors).toEqual(["An image of the other board could not be copied into this one."]);
  });
});

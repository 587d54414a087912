import { describe, expect, it } from "vitest";
import { uploadedImages } from "./images";

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

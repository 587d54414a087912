import { describe, expect, it } from "vitest";
import { embeddedDrawing, exportDrawing, ImageCache, imageUrl } from "./image-cache";
import type { Shape } from "./model";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe("the board's image cache", () => {
  it("loads each image once, shows it loading, and redraws when it is ready or failed", async () => {
    const loads = new Map<string, ReturnType<typeof deferred<number>>>();
    let redraws = 0;
    const cache = new ImageCache(
      (id) => imageUrl("doc", id),
      () => redraws++,
      (url) => {
        const load = deferred<number>();
        loads.set(url, load);
        return load.promise;
      },
    );
    expect(cache.source("a")).toEqual({ state: "loading", href: null, naturalWidth: 0 });
    cache.source("a");
    cache.source("b");
    expect([...loads.keys()]).toEqual(["/api/v1/documents/doc/images/a", "/api/v1/documents/doc/images/b"]);
    loads.get("/api/v1/documents/doc/images/a")!.resolve(640);
    loads.get("/api/v1/documents/doc/images/b")!.reject(new Error("404"));
    await Promise.resolve();
    await Promise.resolve();
    expect(redraws).toBe(2);
    expect(cache.source("a")).toEqual({ state: "ready", href: "/api/v1/documents/doc/images/a", naturalWidth: 640 });
    expect(cache.source("b")).toEqual({ state: "failed", href: null, naturalWidth: 0 });
    expect(loads.size).toBe(2);
  });

  it("gives an export data URLs, leaving out an image that cannot be read", async () => {
    const cache = new ImageCache(
      (id) => `/img/${id}`,
      () => {},
      () => Promise.resolve(1),
      (url) => (url === "/img/ok" ? Promise.resolve("data:image/png;base64,AAAA") : Promise.reject(new Error("gone"))),
    );
    const urls = await cache.dataUrls(["ok", "gone", "ok"]);
    expect([...urls]).toEqual([["ok", "data:image/png;base64,AAAA"]]);
    const drawing = exportDrawing(urls);
    expect(drawing.image("ok")).toMatchObject({ state: "ready", href: "data:image/png;base64,AAAA" });
    expect(drawing.image("gone")).toMatchObject({ state: "failed", href: null });
  });

  it("embeds the images a board's shapes show, reading each once", async () => {
    const read: string[] = [];
    const cache = new ImageCache(
      (id) => `/img/${id}`,
      () => {},
      () => Promise.resolve(1),
      (url) => (read.push(url), Promise.resolve(`data:image/png;base64,${url.slice(5)}`)),
    );
    const shape = (id: string, imageId?: string) => ({ id, type: imageId ? "image" : "rect", x: 0, y: 0, w: 10, h: 10, color: "#000000", text: "", points: [], z: 1, ...(imageId ? { imageId } : {}) }) as Shape;
    const drawing = await embeddedDrawing(cache, [shape("a", "one"), shape("b"), shape("c", "one"), shape("d", "two")]);
    expect(read.sort()).toEqual(["/img/one", "/img/two"]);
    expect(drawing.image("two")).toMatchObject({ state: "ready", href: "data:image/png;base64,two" });
  });
});

import { getSchema } from "@tiptap/core";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import StarterKit from "@tiptap/starter-kit";
import { describe, expect, it, vi } from "vitest";
import { DocumentImage } from "./node";
import { placeholderKey, placeholderPlugin } from "./placeholders";
import { insertImages, type ImageUploadOptions } from "./uploader";

const schema = getSchema([StarterKit, DocumentImage]);

function editorView(text = "Hello world") {
  const doc = schema.node("doc", null, [schema.node("paragraph", null, [schema.text(text)])]);
  const view = {
    state: EditorState.create({ schema, doc, plugins: [placeholderPlugin()] }),
    dispatch(tr: Transaction) {
      view.state = view.state.apply(tr);
    },
  };
  return view;
}

function images(view: ReturnType<typeof editorView>) {
  const found: Record<string, unknown>[] = [];
  view.state.doc.descendants((node) => {
    if (node.type.name === "image") found.push(node.attrs);
  });
  return found;
}

function placeholders(view: ReturnType<typeof editorView>): number[] {
  return (placeholderKey.getState(view.state)?.find() ?? []).map((decoration) => decoration.from);
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const png = (name = "shot.png", size = 10) => new File([new Uint8Array(size)], name, { type: "image/png" });

function reply(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function options(fetch: ImageUploadOptions["fetch"], onError = vi.fn()): ImageUploadOptions {
  return { url: "/api/v1/documents/d1/images", csrfToken: "tok", maxBytes: 1000, fetch, onError };
}

describe("insertImages", () => {
  it("shows a placeholder while uploading and puts the image in only once it is stored", async () => {
    const view = editorView();
    const answer = deferred<Response>();
    const fetch = vi.fn().mockReturnValue(answer.promise);
    const done = insertImages(view, [png()], 6, options(fetch));

    expect(images(view)).toEqual([]);
    expect(placeholders(view)).toEqual([6]);
    // Someone types before the placeholder meanwhile: it moves with the text.
    view.dispatch(view.state.tr.insertText(">> ", 1));
    expect(placeholders(view)).toEqual([9]);

    answer.resolve(reply({ id: "i1", src: "/api/v1/documents/d1/images/i1" }, 201));
    await done;
    expect(images(view)).toEqual([{ src: "/api/v1/documents/d1/images/i1", alt: null, title: null, width: null, height: null }]);
    expect(view.state.doc.child(0).textContent).toBe(">> Hello");
    expect(view.state.doc.child(1).type.name).toBe("image");
    expect(view.state.doc.child(2).textContent).toBe(" world");
    expect(placeholders(view)).toEqual([]);
  });

  it("changes nothing but says why when the server refuses the image", async () => {
    const view = editorView();
    const before = view.state.doc;
    const onError = vi.fn();
    const fetch = vi.fn().mockResolvedValue(reply({ detail: "Images are at most 10 MB (10,485,760 bytes).", code: "image_too_large" }, 413));
    await insertImages(view, [png()], 6, options(fetch, onError));
    expect(view.state.doc.eq(before)).toBe(true);
    expect(placeholders(view)).toEqual([]);
    expect(onError).toHaveBeenCalledWith("Images are at most 10 MB (10,485,760 bytes).");
  });

  it("never sends a file that is too large or not an image", async () => {
    const view = editorView();
    const before = view.state.doc;
    const onError = vi.fn();
    const fetch = vi.fn();
    const svg = new File(["<svg/>"], "logo.svg", { type: "image/svg+xml" });
    await insertImages(view, [png("big.png", 1001), svg], 6, options(fetch, onError));
    expect(fetch).not.toHaveBeenCalled();
    expect(view.state.doc.eq(before)).toBe(true);
    expect(onError.mock.calls.map(([message]) => message)).toEqual([
      "big.png is 1001 bytes: images may be at most 1000 bytes.",
      "logo.svg is not a PNG, JPEG, GIF or WebP image, so it cannot go in the document.",
    ]);
  });

  it("puts the image at the caret when its placeholder's place was deleted meanwhile", async () => {
    const view = editorView();
    const answer = deferred<Response>();
    const done = insertImages(view, [png()], 6, options(vi.fn().mockReturnValue(answer.promise)));
    const tr = view.state.tr.delete(3, 9);
    view.dispatch(tr.setSelection(TextSelection.create(tr.doc, 1)));
    expect(placeholders(view)).toEqual([]);
    answer.resolve(reply({ id: "i2", src: "/api/v1/documents/d1/images/i2" }, 201));
    await done;
    expect(images(view).map((attrs) => attrs.src)).toEqual(["/api/v1/documents/d1/images/i2"]);
  });
});

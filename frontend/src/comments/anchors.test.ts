import { Schema } from "@tiptap/pm/model";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { anchorOf, fromBase64, resolveAnchor, toBase64, type YBinding } from "./anchors";

const schema = new Schema({
  nodes: { doc: { content: "block+" }, paragraph: { group: "block", content: "text*" }, text: {} },
});

function docWith(...paragraphs: string[]): Y.Doc {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("default");
  for (const words of paragraphs) {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(words)]);
    fragment.push([paragraph]);
  }
  return doc;
}

/** The binding an editor would have: the fragment and its mapping to ProseMirror nodes. */
function bind(doc: Y.Doc): YBinding & { text: (from: number, to: number) => string } {
  const type = doc.getXmlFragment("default");
  const { doc: pm, mapping } = initProseMirrorDoc(type, schema);
  return { doc, type, mapping: mapping as YBinding["mapping"], text: (from, to) => pm.textBetween(from, to) };
}

function synced(from: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(from));
  return copy;
}

function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment("default").get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

describe("text anchors", () => {
  it("round-trip through base64", () => {
    const bytes = new Uint8Array([0, 200, 1, 5, 255]);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(fromBase64("not base64!")).toBeNull();
  });

  it("resolve to the range they were made from", () => {
    const doc = docWith("hello world", "second line");
    const binding = bind(doc);
    // "world": the paragraph opens at 0, its text starts at 1.
    const anchor = anchorOf(binding, { from: 7, to: 12 });
    const range = resolveAnchor(bind(doc), anchor)!;
    expect(binding.text(range.from, range.to)).toBe("world");
  });

  it("follow text typed before them by someone else, and right before the range too", () => {
    const doc = docWith("hello world");
    const anchor = anchorOf(bind(doc), { from: 7, to: 12 });
    const other = synced(doc);
    paragraphText(other, 0).insert(0, "Oh, ");
    paragraphText(other, 0).insert(10, "big "); // just before "world"
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const binding = bind(doc);
    const range = resolveAnchor(binding, anchor)!;
    expect(binding.text(range.from, range.to)).toBe("world");
    expect(range).toEqual({ from: 15, to: 20 });
  });

  it("are detached once their text is deleted, on every client alike after an undo", () => {
    const doc = docWith("hello world");
    const anchor = anchorOf(bind(doc), { from: 7, to: 12 });
    const other = synced(doc);
    const undo = new Y.UndoManager(doc.getXmlFragment("default"));
    paragraphText(doc, 0).delete(5, 6);
    expect(resolveAnchor(bind(doc), anchor)).toBeNull();
    // The undo re-inserts "world" as new text: linked to the old only in this document.
    undo.undo();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    for (const each of [doc, other]) {
      const binding = bind(each);
      expect(binding.text(0, 13)).toBe("hello world");
      expect(resolveAnchor(binding, anchor)).toBeNull();
    }
  });

  it("are detached in another document, or when malformed", () => {
    const anchor = anchorOf(bind(docWith("hello world")), { from: 7, to: 12 });
    expect(resolveAnchor(bind(docWith("hello world")), anchor)).toBeNull();
    expect(resolveAnchor(bind(docWith("x")), { start: "???", end: "AA==" })).toBeNull();
  });
});

import { Schema } from "@tiptap/pm/model";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { authorRuns, clientsOfText, placeRuns } from "./runs";

const schema = new Schema({
  nodes: { doc: { content: "block+" }, paragraph: { group: "block", content: "text*" }, text: {} },
  marks: { bold: {} },
});

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Ada writes "hello world" in one paragraph and "second" in another; Bob, another client,
 * inserts "big " inside the first and deletes Ada's "second". */
function twoAuthors(): { ada: Y.Doc; bob: Y.Doc } {
  const ada = new Y.Doc();
  const bob = new Y.Doc();
  const fragment = ada.getXmlFragment("default");
  const first = new Y.XmlElement("paragraph");
  first.insert(0, [new Y.XmlText("hello world")]);
  const second = new Y.XmlElement("paragraph");
  second.insert(0, [new Y.XmlText("second")]);
  fragment.push([first, second]);
  exchange(ada, bob);
  const paragraphs = bob.getXmlFragment("default");
  const text = (paragraphs.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  text.insert(6, "big ", { bold: {} });
  ((paragraphs.get(1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 3);
  exchange(ada, bob);
  return { ada, bob };
}

describe("author runs", () => {
  it("cut each text into runs of one client, skipping deleted text", () => {
    const { ada, bob } = twoAuthors();
    const runs = authorRuns(ada.getXmlFragment("default")).map((run) => [
      (run.text.toDelta() as Array<{ insert: string }>).map((part) => part.insert).join("").slice(run.index, run.index + run.length),
      run.client,
    ]);

    expect(runs).toEqual([
      ["hello ", ada.clientID],
      ["big ", bob.clientID],
      ["world", ada.clientID],
      ["ond", ada.clientID],
    ]);
  });

  it("merge one client's adjacent insertions into one run", () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText("ab");
    paragraph.insert(0, [text]);
    doc.getXmlFragment("default").push([paragraph]);
    text.insert(2, "cd");
    text.insert(4, "ef");

    expect(authorRuns(doc.getXmlFragment("default"))).toEqual([{ text, index: 0, length: 6, client: doc.clientID }]);
  });

  it("are placed at their ProseMirror ranges", () => {
    const { ada, bob } = twoAuthors();
    const fragment = bob.getXmlFragment("default");
    const { doc: pm, mapping } = initProseMirrorDoc(fragment, schema);

    const placed = placeRuns(bob, fragment, mapping as Map<Y.AbstractType<unknown>, unknown>);

    expect(placed.map(({ from, to, client }) => [pm.textBetween(from, to), client])).toEqual([
      ["hello ", ada.clientID],
      ["big ", bob.clientID],
      ["world", ada.clientID],
      ["ond", ada.clientID],
    ]);
  });
});

describe("clients of a text", () => {
  const runs = [
    { text: "hello ", client: 1 },
    { text: "big ", client: 2 },
    { text: "world", client: 1 },
  ];

  it("name each client whose run the text overlaps, once, in order", () => {
    expect(clientsOfText(runs, "big")).toEqual([2]);
    expect(clientsOfText(runs, " big wor")).toEqual([2, 1]);
    expect(clientsOfText(runs, "hello big world")).toEqual([1, 2]);
  });

  it("name none for text not in the document, or only spaces", () => {
    expect(clientsOfText(runs, "gone")).toEqual([]);
    expect(clientsOfText(runs, "  ")).toEqual([]);
  });
});

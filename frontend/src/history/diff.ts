// What changed between two versions (or a version and the current document), as the server's
// diff describes it (GET documents/{id}/versions/{a}/diff): text blocks with their words kept,
// inserted and deleted, or a whiteboard's shapes added, removed and changed. The model is
// plain data (tested without a DOM); ``renderDiff`` turns it into <ins>/<del> markup.

import { element } from "../ui/dom";

export interface DiffPart {
  op: "equal" | "insert" | "delete";
  text: string;
}

export interface DiffBlock {
  type: string;
  change: "equal" | "inserted" | "deleted" | "changed";
  parts: DiffPart[];
}

export interface DiffShape {
  id: string;
  change: "added" | "removed" | "changed";
  kind: string;
}

export interface DiffAuthor {
  id: number;
  username: string;
  display_name: string;
  color: string;
}

export interface VersionDiff {
  kind: "text" | "whiteboard";
  authors: DiffAuthor[];
  blocks?: DiffBlock[];
  shapes?: DiffShape[];
}

/** Counts of what changed, in words a person reads: "3 words added, 1 removed". */
export function diffSummary(diff: VersionDiff): string {
  if (diff.kind === "whiteboard") {
    const shapes = diff.shapes ?? [];
    const count = (change: DiffShape["change"]) => shapes.filter((shape) => shape.change === change).length;
    const phrases = [
      [count("added"), "added"],
      [count("removed"), "removed"],
      [count("changed"), "changed"],
    ]
      .filter(([n]) => n)
      .map(([n, what]) => `${n} shape${n === 1 ? "" : "s"} ${what}`);
    return phrases.length ? phrases.join(", ") : "No changes";
  }
  const words = (op: DiffPart["op"]) =>
    (diff.blocks ?? [])
      .flatMap((block) => block.parts)
      .filter((part) => part.op === op)
      .reduce((sum, part) => sum + (part.text.match(/[^\s]+/g)?.length ?? 0), 0);
  const added = words("insert");
  const removed = words("delete");
  if (!added && !removed) return "No changes";
  const phrases: string[] = [];
  if (added) phrases.push(`${added} word${added === 1 ? "" : "s"} added`);
  if (removed) phrases.push(`${removed} word${removed === 1 ? "" : "s"} removed`);
  return phrases.join(", ");
}

/** The blocks worth showing: every changed one, and up to ``context`` unchanged ones around
 * each change (runs of unchanged blocks between are folded into a count). */
export function visibleBlocks(blocks: DiffBlock[], context = 1): Array<DiffBlock | { folded: number }> {
  const near = blocks.map((_, index) =>
    blocks.slice(Math.max(0, index - context), index + context + 1).some((block) => block.change !== "equal"),
  );
  const shown: Array<DiffBlock | { folded: number }> = [];
  let folded = 0;
  blocks.forEach((block, index) => {
    if (near[index]) {
      if (folded) shown.push({ folded });
      folded = 0;
      shown.push(block);
    } else {
      folded += 1;
    }
  });
  if (folded) shown.push({ folded });
  return shown;
}

const PART_TAG = { equal: "span", insert: "ins", delete: "del" } as const;
const SHAPE_VERB = { added: "Added", removed: "Removed", changed: "Changed" } as const;

/** The diff as markup: a summary line, who edited, then the blocks (or shapes). */
export function renderDiff(diff: VersionDiff): HTMLElement {
  const root = element("div", "version-diff");
  root.setAttribute("aria-label", "Changes");
  root.setAttribute("role", "region");
  root.append(element("p", "version-diff-summary", diffSummary(diff)));
  if (diff.authors.length) {
    const who = element("p", "version-diff-authors", "Edited by ");
    diff.authors.forEach((author, index) => {
      if (index) who.append(", ");
      const name = element("span", "version-diff-author", author.display_name || author.username);
      name.style.color = author.color; // the CSSOM: the page's CSP allows no style attribute
      who.append(name);
    });
    root.append(who);
  }
  if (diff.kind === "whiteboard") {
    const list = element("ul", "version-diff-shapes");
    for (const shape of diff.shapes ?? []) {
      const item = element("li", `shape-${shape.change}`, `${SHAPE_VERB[shape.change]} a ${shape.kind}`);
      list.append(item);
    }
    root.append(list);
    return root;
  }
  for (const entry of visibleBlocks(diff.blocks ?? [])) {
    if ("folded" in entry) {
      root.append(element("p", "version-diff-folded", `${entry.folded} unchanged block${entry.folded === 1 ? "" : "s"}`));
      continue;
    }
    const block = element("p", `version-diff-block block-${entry.change}`);
    block.dataset.type = entry.type;
    for (const part of entry.parts) block.append(element(PART_TAG[part.op], undefined, part.text));
    root.append(block);
  }
  return root;
}

// Who wrote which text: every Yjs item carries the id of the client that inserted it. This
// walks the editor's XmlFragment and cuts each Y.XmlText into runs of one client's visible
// characters; the server's map (GET documents/{id}/authors) says whose client each one is.

import { relativePositionToAbsolutePosition } from "@tiptap/y-tiptap";
import * as Y from "yjs";

export interface Run {
  text: Y.XmlText;
  /** Offset of the run's first character in ``text``. */
  index: number;
  length: number;
  client: number;
}

/** Every Y.XmlText under ``fragment``, in document order, cut into runs of one client id
 * (deleted items and formatting attributes skipped; adjacent runs of one client merged). */
export function authorRuns(fragment: Y.XmlFragment | Y.XmlElement): Run[] {
  const runs: Run[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlText) runs.push(...textRuns(child));
    else if (child instanceof Y.XmlElement) runs.push(...authorRuns(child));
  }
  return runs;
}

function textRuns(text: Y.XmlText): Run[] {
  const runs: Run[] = [];
  let index = 0;
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    const last = runs[runs.length - 1];
    if (last && last.client === item.id.client && last.index + last.length === index) last.length += item.length;
    else runs.push({ text, index, length: item.length, client: item.id.client });
    index += item.length;
  }
  return runs;
}

export interface PlacedRun {
  from: number;
  to: number;
  client: number;
}

/** The runs as ProseMirror ranges, through y-prosemirror's mapping of Yjs types to nodes
 * (``ySyncPluginKey.getState(state).binding``); runs it cannot place are left out. */
export function placeRuns(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  mapping: Map<Y.AbstractType<unknown>, unknown>,
  runs: Run[] = authorRuns(fragment),
): PlacedRun[] {
  const placed: PlacedRun[] = [];
  for (const run of runs) {
    // From the run's end: y-tiptap refuses a text position resolving to 1 or less (the first
    // character of the document), and a run is never empty.
    const relative = Y.createRelativePositionFromTypeIndex(run.text, run.index + run.length);
    let to: number | null = null;
    try {
      to = relativePositionToAbsolutePosition(doc, fragment, relative, mapping as never);
    } catch {
      to = null;
    }
    if (to === null || to === undefined) continue;
    placed.push({ from: to - run.length, to, client: run.client });
  }
  return placed;
}

/** The clients whose text makes up the first occurrence of ``needle`` (trimmed) in the
 * runs' text read in order, each once; none if it does not occur. The diff's insertions are
 * text, not items: this names who wrote that text in the current document. */
export function clientsOfText(runs: Array<{ text: string; client: number }>, needle: string): number[] {
  const wanted = needle.trim();
  if (!wanted) return [];
  const whole = runs.map((run) => run.text).join("");
  const start = whole.indexOf(wanted);
  if (start < 0) return [];
  const end = start + wanted.length;
  const clients: number[] = [];
  let offset = 0;
  for (const run of runs) {
    const next = offset + run.text.length;
    if (next > start && offset < end && !clients.includes(run.client)) clients.push(run.client);
    offset = next;
  }
  return clients;
}

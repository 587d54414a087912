// Code blocks with syntax highlighting: Tiptap's CodeBlockLowlight (in place of StarterKit's
// code block) with lowlight's common languages, and a language picker on each block. The
// language is the node's ``language`` attribute, so it travels with the document to everyone;
// each editor highlights locally (decorations, never stored), so highlighting needs nothing of
// the server and works the same for every reader.

import { CodeBlockLowlight } from "@tiptap/extension-code-block-lowlight";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import type { NodeView } from "@tiptap/pm/view";
import type { Editor } from "@tiptap/core";
import { common, createLowlight } from "lowlight";
import "./code.css";

export const lowlight = createLowlight(common);

// Names people know, where lowlight's differ from them.
const NAMES: Record<string, string> = {
  cpp: "C++",
  csharp: "C#",
  css: "CSS",
  graphql: "GraphQL",
  ini: "INI",
  javascript: "JavaScript",
  json: "JSON",
  objectivec: "Objective-C",
  php: "PHP",
  "php-template": "PHP template",
  plaintext: "Plain text",
  "python-repl": "Python REPL",
  scss: "SCSS",
  sql: "SQL",
  typescript: "TypeScript",
  vbnet: "VB.NET",
  wasm: "WebAssembly",
  xml: "HTML / XML",
  yaml: "YAML",
};

export interface LanguageChoice {
  value: string; // "" for automatic detection (the attribute is null)
  label: string;
}

/** The picker's choices: automatic detection first, then the languages by their names. */
export function languageChoices(languages: string[]): LanguageChoice[] {
  const named = languages.map((value) => ({ value, label: NAMES[value] ?? value.charAt(0).toUpperCase() + value.slice(1) }));
  named.sort((a, b) => a.label.localeCompare(b.label));
  return [{ value: "", label: "Auto-detect" }, ...named];
}

/** The ``language`` attribute for a picked value: null for automatic detection. */
export function languageOf(value: string): string | null {
  return value === "" ? null : value;
}

let pickers = 0;

class CodeBlockView implements NodeView {
  dom: HTMLElement;
  contentDOM: HTMLElement;
  private select: HTMLSelectElement;

  constructor(
    private node: ProseMirrorNode,
    private editor: Editor,
    private getPos: () => number | undefined,
  ) {
    this.dom = document.createElement("div");
    this.dom.className = "code-block";
    const picker = document.createElement("div");
    picker.className = "code-language";
    picker.contentEditable = "false";
    const id = `code-language-${++pickers}`;
    const label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = id;
    label.textContent = "Code language";
    this.select = document.createElement("select");
    this.select.id = id;
    for (const choice of languageChoices(lowlight.listLanguages())) {
      this.select.append(new Option(choice.label, choice.value));
    }
    this.select.addEventListener("change", () => this.pick(this.select.value));
    picker.append(label, this.select);
    const pre = document.createElement("pre");
    this.contentDOM = document.createElement("code");
    pre.append(this.contentDOM);
    this.dom.append(picker, pre);
    this.show();
  }

  private pick(value: string) {
    const pos = this.getPos();
    if (pos === undefined || !this.editor.isEditable) {
      this.show(); // the document became read-only since the picker was drawn
      return;
    }
    this.editor.chain().command(({ tr }) => {
      tr.setNodeMarkup(pos, undefined, { ...this.node.attrs, language: languageOf(value) });
      return true;
    }).run();
  }

  private show() {
    const language = (this.node.attrs.language as string | null) ?? "";
    if (language && ![...this.select.options].some((option) => option.value === language)) {
      this.select.append(new Option(language, language)); // a language this page has no grammar for
    }
    this.select.value = language;
    this.select.disabled = !this.editor.isEditable;
    this.contentDOM.className = language ? `hljs language-${language}` : "hljs";
  }

  update(node: ProseMirrorNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.show();
    return true;
  }

  // The picker is the view's own: ProseMirror neither reads its changes nor handles its events.
  ignoreMutation(mutation: { target: Node }): boolean {
    return !this.contentDOM.contains(mutation.target);
  }

  stopEvent(event: Event): boolean {
    return this.select.contains(event.target as Node);
  }
}

export const CodeBlock = CodeBlockLowlight.extend({
  addNodeView() {
    return ({ node, editor, getPos }) => new CodeBlockView(node, editor, getPos);
  },
}).configure({ lowlight, defaultLanguage: null });

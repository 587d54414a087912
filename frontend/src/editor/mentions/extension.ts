// @mentions in documents: Tiptap's Mention node, shown as "@username", stored with the
// attributes the server reads (``id``, the user's id as a string, and ``label``, the username;
// docs/architecture.md). Typing "@" offers the room's members; the server notices a new
// mention after the edit and notifies the person (rooms/documents/services/mentions.py).

import type { Attributes } from "@tiptap/core";
import { Mention } from "@tiptap/extension-mention";
import type { UserSummary } from "../../room-socket/events";
import { mentionList } from "./list";
import { documentMentionCandidates, type mentionAttrs } from "./suggestions";

type Attrs = ReturnType<typeof mentionAttrs>;

// Only ``id`` and ``label``: Tiptap's third attribute (the trigger character) would be stored in
// every mention for nothing, since "@" is the only trigger here.
const DocumentMention = Mention.extend({
  addAttributes() {
    const { id, label } = (this.parent?.() ?? {}) as Attributes;
    return { id, label };
  },
});

/** The mention node, offering the people ``members`` returns (fetched when first needed). */
export function mentionExtension(members: () => Promise<UserSummary[]>) {
  return DocumentMention.configure({
    HTMLAttributes: { class: "mention" },
    deleteTriggerWithBackspace: true,
    suggestion: {
      char: "@",
      items: async ({ query }: { query: string }) => documentMentionCandidates(await members().catch(() => []), query),
      command: ({ editor, range, props }) => {
        const attrs = props as Attrs;
        editor.chain().focus().insertContentAt(range, [{ type: "mention", attrs: { id: attrs.id, label: attrs.label } }, { type: "text", text: " " }]).run();
      },
      render: mentionList,
    },
  });
}

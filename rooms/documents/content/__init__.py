"""A document's content as the editors store it (a ProseMirror tree in a Yjs XmlFragment) and its
formats: text, Markdown, HTML, JSON."""

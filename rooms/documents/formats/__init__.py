"""Documents as files people send each other: export to Markdown, HTML, PDF and DOCX, import
from Markdown, HTML and DOCX, and whiteboards as SVG, PNG and PDF.

Every module here works on the document's ProseMirror JSON (the schema the editors and
``rooms.documents.content`` share) or a whiteboard's shape JSON; none touches the database.
Reading and storing a document's images goes through ``images`` alone, and the Markdown and
HTML of the content package through ``text_formats`` alone."""

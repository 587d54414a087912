"""The REST API of documents: metadata, content and versions."""

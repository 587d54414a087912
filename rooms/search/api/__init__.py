"""The REST API of search."""

"""The REST API of the chat."""

"""Search over documents (their indexed text) and messages."""

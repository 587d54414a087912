"""Comments ' s REST API."""

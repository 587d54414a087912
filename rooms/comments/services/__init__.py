"""Comments ' s writes."""

"""Comments on documents: threads anchored to a range of text or to a whiteboard shape."""

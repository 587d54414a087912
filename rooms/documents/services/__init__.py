"""Writes of documents: create and lock, content over REST, versions, sharing."""

"""Benchmarks of Collab with real Yjs clients (see bench/README.md)."""

"""The Yjs sync engine: the wire format (``protocol``), persistence (``store``) and the live
documents of this process (``runtime``)."""

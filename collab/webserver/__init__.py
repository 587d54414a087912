"""The web server adapter: every touch of Daphne's, Twisted's and autobahn's internals.

Collab needs a few of those libraries' private parts (a close code autobahn's API refuses, one
framing per fanned-out frame, writes straight to an idle socket, the reactor's event loop).
They live here and nowhere else, so that an upgrade has one place to check: ``compat`` names
the tested versions and every private attribute used, and refuses to start on a mismatch;
tests/collab/webserver/ has a contract test for each. Importing ``server``, ``protocol`` or
``reactor`` installs Twisted's asyncio reactor; ``compat`` and ``gc_tuning`` import nothing of
the libraries until called.
"""

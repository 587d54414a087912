"""What happens to comments, announced for the concepts above (notifications tells the
people concerned, webhooks deliver events) so that comments call neither. Each is sent
synchronously inside the service's transaction; the receivers are connected in
``rooms.subscriptions``. The room socket's events are the services' own (``events.py``).
"""

from __future__ import annotations

from django.dispatch import Signal

comment_posted = Signal()
"""A comment was stored with its mentions. Sent with ``sender=Comment`` and:

- ``comment``: the new ``Comment``; ``comment.thread`` its thread;
- ``opened_thread``: whether it is the thread's first comment (the thread is new);
- ``mentioned_ids``: the ids of the room's members its body names, never its author.
"""

comment_edited = Signal()
"""A comment's body changed. Sent with ``sender=Comment``, ``comment`` and
``mentioned_ids`` of the new body."""

thread_resolved = Signal()
"""A thread was marked resolved. Sent with ``sender=CommentThread``, ``thread`` and ``by``."""

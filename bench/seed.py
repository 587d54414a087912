"""Creates the people, rooms and documents of a benchmark in the server's database, through the
services (like tests/e2e/seed.py, but sized by arguments), and writes their ids and API tokens
as JSON.

Run in the server's environment, from the project folder:
``python -m bench.seed --rooms 100 --users-per-room 10 --documents-per-room 1 --out seed.json``

Every user is an editor of one room (the first one its owner) and has one API token; each
document, and each room, lists the tokens of its room's members (a room also their user ids,
in the same order). ``--max-participants`` raises the rooms' limit of people present at once
(50 by default). With ``--state-trace`` every document starts with the replayed trace as its
stored, compacted state (appended to the log, then compacted, as a document at rest would be).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

import django

logger = logging.getLogger(__name__)


def seed(
    *,
    rooms: int,
    users_per_room: int,
    documents_per_room: int,
    state_trace: str | None,
    max_participants: int | None = None,
) -> dict[str, Any]:
    """Create everything in one transaction (one durable commit instead of thousands)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from rooms.accounts.services import api_token_create
    from rooms.documents.models import DocumentKind
    from rooms.documents.services.documents import document_create
    from rooms.membership.models import Role
    from rooms.membership.services.members import member_add
    from rooms.membership.services.rooms import room_create
    from rooms.sync import compaction, log

    from bench.replay import replay

    state = replay(state_trace).state if state_trace else None
    users = get_user_model().objects
    documents: list[dict[str, Any]] = []
    seeded_rooms: list[dict[str, Any]] = []
    with transaction.atomic():
        for r in range(rooms):
            # No password: hashing thousands of them would dominate the set-up time.
            owner = users.create_user(username=f"bench-r{r}-u0", password=None)
            room = room_create(
                actor=owner, name=f"Bench room {r}", max_participants=max_participants
            )
            tokens = [api_token_create(user=owner, name="bench")[1]]
            user_ids = [owner.pk]
            for u in range(1, users_per_room):
                users.create_user(username=f"bench-r{r}-u{u}", password=None)
                member = member_add(
                    actor=owner, room_id=room.pk, username=f"bench-r{r}-u{u}", role=Role.EDITOR
                )
                tokens.append(api_token_create(user=member.user, name="bench")[1])
                user_ids.append(member.user.pk)
            seeded_rooms.append({"id": str(room.pk), "tokens": tokens, "user_ids": user_ids})
            for d in range(documents_per_room):
                document = document_create(
                    actor=owner, room_id=room.pk, title=f"Bench {r}.{d}", kind=DocumentKind.TEXT
                )
                if state is not None:
                    log.updates_append(
                        [log.PendingUpdate(document_id=document.pk, data=state, author_id=owner.pk)]
                    )
                    compaction.document_compact(document.pk)
                documents.append({"id": str(document.pk), "room": str(room.pk), "tokens": tokens})
    return {
        "documents": documents,
        "rooms": seeded_rooms,
        "state_bytes": len(state) if state else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rooms", type=int, required=True)
    parser.add_argument("--users-per-room", type=int, required=True)
    parser.add_argument("--documents-per-room", type=int, default=1)
    parser.add_argument("--state-trace", help="a trace in bench/data/ to start each document with")
    parser.add_argument(
        "--max-participants", type=int, help="each room's limit of people present (default 50)"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    django.setup()
    logging.getLogger("rooms.sync.compaction").setLevel(logging.WARNING)
    result = seed(
        rooms=args.rooms,
        users_per_room=args.users_per_room,
        documents_per_room=args.documents_per_room,
        state_trace=args.state_trace,
        max_participants=args.max_participants,
    )
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()

"""Creates the people, room and documents an end-to-end test needs in a server's database,
through the services, and prints their ids and API tokens as JSON.

Run in the server's environment: ``python -m tests.e2e.seed``.
"""

from __future__ import annotations

import json

import django


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model

    from rooms.accounts.services import api_token_create
    from rooms.documents.models import DocumentKind
    from rooms.documents.services.documents import document_create
    from rooms.membership.models import Role
    from rooms.membership.services.members import member_add
    from rooms.membership.services.rooms import room_create

    users = get_user_model().objects
    owner = users.create_user(username="owner", password="e2e-password-1")
    room = room_create(actor=owner, name="E2E room")
    tokens = {"owner": api_token_create(user=owner, name="e2e")[1]}
    for username, role in [
        ("editor", Role.EDITOR),
        ("editor2", Role.EDITOR),
        ("viewer", Role.VIEWER),
        # For the room settings tests, which change this member's role.
        ("member", Role.EDITOR),
    ]:
        users.create_user(username=username, password="e2e-password-1")
        member = member_add(actor=owner, room_id=room.pk, username=username, role=role)
        tokens[username] = api_token_create(user=member.user, name="e2e")[1]
    outsider = users.create_user(username="outsider", password="e2e-password-1")
    tokens["outsider"] = api_token_create(user=outsider, name="e2e")[1]
    documents = {
        name: str(
            document_create(actor=owner, room_id=room.pk, title=name, kind=DocumentKind.TEXT).pk
        )
        for name in ("converge", "viewer", "awareness", "refused")
    }
    print(
        json.dumps(
            {
                "tokens": tokens,
                "documents": documents,
                "room": str(room.pk),
                "password": "e2e-password-1",
            }
        )
    )


if __name__ == "__main__":
    main()

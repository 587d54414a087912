"""Backing up and restoring PostgreSQL and the media files with the scripts docs/operations.md
runs (collab/ops/backup.sh and restore.sh): documents written and versioned through the REST
API of a real server, a chat attachment uploaded, a backup, the database dropped and the media
deleted, a restore, and a server started on the restored data serves all of it unchanged."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.e2e.conftest import (
    POSTGRES_ADMIN_URL,
    ROOT,
    Daphne,
    api_request,
    content_write,
    postgres_available,
    postgres_database,
    prepare_database,
    running,
    server_env,
    stored_log_postgres,
)

pytestmark = pytest.mark.e2e

OPS = ROOT / "collab" / "ops"
ATTACHMENT = b"id,total\n1,42\n2,\xc3\xa9t\xc3\xa9\n"


def major_version(version: str) -> int:
    """15 of "15.20 (Debian 15.20-0+deb12u1)"."""
    found = re.match(r"\d+", version)
    assert found, version
    return int(found.group())


def require_postgres_tools() -> None:
    """PostgreSQL reachable, and client tools that can dump its version (pg_dump refuses a
    server newer than itself): fails, never skips, naming what is missing."""
    if not postgres_available():
        pytest.fail("needs PostgreSQL on 127.0.0.1 (see .ci/run)")
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"needs {', '.join(missing)} (Debian: apt-get install postgresql-client)")
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True)
    with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5) as connection:
        server = connection.execute("SHOW server_version").fetchone()
    assert server is not None
    assert major_version(client.stdout.split()[2]) >= major_version(server[0]), (
        client.stdout,
        server[0],
    )


def upload(server_url: str, token: str, room_id: str, name: str, data: bytes) -> dict[str, Any]:
    """A chat attachment posted as the web app does: multipart form data."""
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"{server_url}/api/v1/rooms/{room_id}/attachments",
        method="POST",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(json.loads(response.read()))


def api_get(server_url: str, token: str, path: str) -> Any:
    """A GET's JSON body, whatever its shape (api_request wants an object)."""
    return json.loads(download(server_url, token, f"/api/v1/{path}"))


def download(server_url: str, token: str, path: str) -> bytes:
    request = urllib.request.Request(
        f"{server_url}{path}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return bytes(response.read())


def write_documents(server_url: str, seed: dict[str, Any]) -> dict[str, Any]:
    """Two documents with several edits and named versions between them, and an attachment;
    returns their ids."""
    token, room = seed["tokens"]["owner"], seed["room"]
    documents = []
    for title in ("Plan", "Minutes"):
        document = api_request(
            server_url, token, "POST", f"rooms/{room}/documents", {"title": title, "kind": "text"}
        )["id"]
        content_write(server_url, token, document, f"# {title}\n\nA first draft.")
        api_request(server_url, token, "POST", f"documents/{document}/versions", {"name": "v1"})
        api_request(
            server_url,
            token,
            "POST",
            f"documents/{document}/content",
            {"mode": "append", "markdown": "A second paragraph, **bold**."},
        )
        api_request(server_url, token, "POST", f"documents/{document}/versions", {"name": "v2"})
        content_write(server_url, token, document, f"# {title}\n\nThe final text.")
        documents.append(str(document))
    message = upload(server_url, token, room, "numbers.csv", ATTACHMENT)
    return {"documents": documents, "attachment": message["attachment"]["url"]}


def everything_served(
    server_url: str, database_url: str, seed: dict[str, Any], written: dict[str, Any]
) -> dict[str, Any]:
    """What the server answers for the written documents (metadata, content, every version
    with its content), the room's messages and the attachment's bytes, and each document's
    update log as stored."""
    token, room = seed["tokens"]["owner"], seed["room"]
    served: dict[str, Any] = {"documents": {}}
    for document in written["documents"]:
        versions = api_get(server_url, token, f"documents/{document}/versions")
        if isinstance(versions, dict):  # a paginated list
            versions = versions["results"]
        served["documents"][document] = {
            "metadata": api_request(server_url, token, "GET", f"documents/{document}"),
            "content": api_request(
                server_url, token, "GET", f"documents/{document}/content?format=markdown"
            ),
            "versions": [
                api_request(
                    server_url,
                    token,
                    "GET",
                    f"documents/{document}/versions/{version['id']}?format=markdown",
                )
                for version in versions
            ],
            "log": stored_log_postgres(database_url, document),
        }
    served["messages"] = api_get(server_url, token, f"rooms/{room}/messages")
    served["attachment"] = download(server_url, token, written["attachment"])
    return served


def ops(script: str, folder: Path, database_url: str, media_root: Path) -> None:
    subprocess.run(
        ["sh", str(OPS / script), str(folder)],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)},
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_a_restore_into_a_dropped_database_brings_back_documents_history_and_media(tmp_path):
    require_postgres_tools()
    with postgres_database() as database_url:
        env = {**server_env(tmp_path / "data"), "DATABASE_URL": database_url}
        media_root = tmp_path / "data" / "media"
        seed = prepare_database(env)
        daphne = Daphne(env=env, log_path=tmp_path / "daphne.log")
        with running(daphne):
            written = write_documents(daphne.url, seed)
            before = everything_served(daphne.url, database_url, seed, written)

        ops("backup.sh", tmp_path / "backup", database_url, media_root)
        name = database_url.rsplit("/", 1)[-1]
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE "{name}"')
        shutil.rmtree(media_root)
        ops("restore.sh", tmp_path / "backup", database_url, media_root)

        with running(daphne):
            after = everything_served(daphne.url, database_url, seed, written)

    assert [len(d["versions"]) for d in before["documents"].values()] == [2, 2]
    assert before["attachment"] == ATTACHMENT
    assert after == before


def test_restore_refuses_while_the_database_is_in_use_and_changes_nothing(tmp_path):
    require_postgres_tools()
    with postgres_database() as database_url:
        media_root = tmp_path / "media"
        media_root.mkdir()
        (media_root / "kept.txt").write_text("kept")
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("CREATE TABLE kept (value text)")
            connection.execute("INSERT INTO kept VALUES ('before')")
            ops("backup.sh", tmp_path / "backup", database_url, media_root)
            connection.execute("UPDATE kept SET value = 'after'")

            with pytest.raises(subprocess.CalledProcessError) as refused:
                ops("restore.sh", tmp_path / "backup", database_url, media_root)

            assert b"is being accessed by other users" in refused.value.stderr
            assert connection.execute("SELECT value FROM kept").fetchall() == [("after",)]
    assert (media_root / "kept.txt").read_text() == "kept"

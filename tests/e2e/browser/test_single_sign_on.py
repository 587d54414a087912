"""Single sign-on in real Chromium against a real OpenID Connect provider (node-oidc-provider,
``tests/e2e/node/oidc_provider.mjs``) on 127.0.0.1, with Collab set to sign in only through it
(``COLLAB_SSO_ONLY``): the browser goes through the provider's own login and consent pages.
A first sign-in creates the account, a later one brings its name in step, an existing account
is matched by its verified email and an unverified one is refused; passwords are refused on
the page and the API; signing out ends the provider's session; deactivating an account in the
admin closes its open document socket (4401)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS
from tests.e2e.browser.test_editor import open_document, status_of
from tests.e2e.conftest import (
    ROOT,
    Daphne,
    NodeSession,
    Server,
    api_request,
    free_port,
    node_session,
    prepare_database,
    running,
    server_env,
)

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

PROVIDER_SCRIPT = Path(__file__).parents[1] / "node" / "oidc_provider.mjs"
PROVIDER_NAME = "Test ID"
CLIENT_ID, CLIENT_SECRET = "collab-e2e", "collab-e2e-client-secret"
SIGNED_OUT = "You are signed out. Sign in again to keep working."  # close code 4401
# Before the server starts: an admin (whose password still works in the admin), an email on
# two seeded accounts, and Dora, an editor of the seeded room who has no password.
SETUP = """
import django; django.setup()
from django.contrib.auth import get_user_model
from rooms.membership.models import Role, Room
from rooms.membership.services.members import member_add
users = get_user_model().objects
users.create_superuser("admin", "admin@example.com", "e2e-password-1")
users.filter(username="editor").update(email="editor@example.com")
users.filter(username="viewer").update(email="viewer@example.com")
users.create_user("dora", email="dora@example.com")
member_add(actor=users.get(username="owner"), room_id=Room.objects.get().pk, username="dora",
           role=Role.EDITOR)
"""


@dataclass
class Site:
    server: Server
    provider: NodeSession
    people_file: Path

    def people(self, **claims_by_login: dict[str, Any]) -> None:
        """The provider's people from now on: login -> claims (re-read at every lookup)."""
        self.people_file.write_text(json.dumps(claims_by_login))

    def account(self, email: str) -> list[tuple[Any, ...]]:
        """(id, username, display name, password) of the accounts with this email."""
        assert self.server.data_dir is not None
        with sqlite3.connect(self.server.data_dir / "db.sqlite3") as database:
            return database.execute(
                "SELECT u.id, u.username, p.display_name, u.password FROM auth_user u"
                " JOIN accounts_profile p ON p.user_id = u.id WHERE lower(u.email) = ?"
                " ORDER BY u.id",
                (email.lower(),),
            ).fetchall()


@pytest.fixture(scope="module")
def site(frontend_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("sso")
    people_file = data_dir / "people.json"
    people_file.write_text("{}")
    port = free_port()
    collab = f"http://127.0.0.1:{port}"
    provider_args = {
        "port": free_port(),
        "clientId": CLIENT_ID,
        "clientSecret": CLIENT_SECRET,
        "redirectUri": f"{collab}/accounts/sso/callback/",
        "postLogoutRedirectUri": f"{collab}/accounts/login/",
        "peopleFile": str(people_file),
    }
    with node_session("serve", provider_args, script=PROVIDER_SCRIPT) as provider:
        issuer = provider.wait_event("ready", timeout=30)["issuer"]
        env = {
            **server_env(data_dir),
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": issuer,
            "COLLAB_SSO_PROVIDER_NAME": PROVIDER_NAME,
            "COLLAB_SSO_ONLY": "1",
        }
        seed = prepare_database(env)
        subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=120)
        daphne = Daphne(env=env, log_path=data_dir / "daphne.log", port=port)
        with running(daphne):
            assert daphne.process is not None
            server = Server(daphne.url, daphne.ws_url, seed, daphne.process, data_dir)
            yield Site(server=server, provider=provider, people_file=people_file)


@pytest.fixture
def new_page(browser: Any, site: Site) -> Iterator[Any]:
    """Opens pages, each in a browser context of its own (a person's own browser); at the
    end, nothing on Collab's pages was refused by its Content-Security-Policy."""
    contexts: list[Any] = []
    refused: list[str] = []

    def note_refusal(message: Any) -> None:
        url = str(message.location.get("url", ""))
        if "Content Security Policy" in message.text and url.startswith(site.server.url):
            refused.append(f"{url}: {message.text}")

    def open_page() -> Any:
        context = browser.new_context(base_url=site.server.url)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", note_refusal)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert refused == [], "the Content-Security-Policy refused something"


def start_sso(page: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()


def sso_sign_in(page: Any, login: str) -> None:
    """From Collab's sign-in page through the provider's login and consent pages."""
    start_sso(page)
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the provider's dev login")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def verified(email: str, name: str) -> dict[str, Any]:
    return {"email": email, "email_verified": True, "name": name}


def test_a_first_sign_in_creates_the_account_from_the_provider_claims(site, new_page):
    grace = verified("grace@example.com", "Grace Hopper")
    site.people(grace={**grace, "preferred_username": "grace"})
    page = new_page()

    sso_sign_in(page, "grace")

    expect(page.get_by_role("heading", name="Your rooms")).to_be_visible()
    [(_, username, name, password)] = site.account("grace@example.com")
    assert (username, name) == ("grace", "Grace Hopper")
    assert password.startswith("!"), "an account made by single sign-on has no password"


def test_a_second_sign_in_brings_the_name_in_step_with_the_provider(site, new_page):
    site.people(linus=verified("linus@example.com", "Linus"))
    sso_sign_in(first := new_page(), "linus")
    expect(first.get_by_role("heading", name="Your rooms")).to_be_visible()
    [(user_id, _, name, _)] = site.account("linus@example.com")
    assert name == "Linus"

    site.people(linus=verified("linus@example.com", "Linus Torvalds"))
    sso_sign_in(second := new_page(), "linus")

    expect(second.get_by_role("heading", name="Your rooms")).to_be_visible()
    assert [(row[0], row[2]) for row in site.account("linus@example.com")] == [
        (user_id, "Linus Torvalds")
    ]


def test_an_existing_account_is_matched_by_its_verified_email(site, new_page):
    site.people(**{"e.editor": verified("Editor@Example.com", "Eddie Editor")})
    page = new_page()

    sso_sign_in(page, "e.editor")

    expect(page.get_by_role("heading", name="Your rooms")).to_be_visible()
    expect(page.get_by_text("E2E room").first).to_be_visible()  # the seeded editor's room
    assert [row[1:3] for row in site.account("editor@example.com")] == [("editor", "Eddie Editor")]


def test_an_unverified_email_is_refused_with_the_reason(site, new_page):
    site.people(mallory={"email": "viewer@example.com", "email_verified": False, "name": "M"})
    page = new_page()

    sso_sign_in(page, "mallory")

    expect(page.get_by_role("heading", name="You are not signed in")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("has not verified your email address")
    page.goto("/")
    expect(page).to_have_url(f"{site.server.url}/accounts/login/?next=/")
    assert [row[1:3] for row in site.account("viewer@example.com")] == [("viewer", "")]


def test_sso_only_refuses_password_sign_in_on_the_page_and_the_api(site, new_page):
    page = new_page()
    page.goto("/accounts/login/")
    expect(page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    page.goto("/accounts/signup/")
    expect(page.get_by_role("alert")).to_contain_text(f"signs in through {PROVIDER_NAME} only")

    request = urllib.request.Request(
        f"{site.server.url}/api/v1/auth/token",
        data=json.dumps({"username": "owner", "password": site.server.seed["password"]}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)

    assert refused.value.code == 403
    assert json.loads(refused.value.read())["code"] == "password_sign_in_off"
    me = api_request(site.server.url, site.server.seed["tokens"]["owner"], "GET", "users/me")
    assert me["username"] == "owner", "API tokens keep working"


def test_sign_out_ends_the_provider_session_too(site, new_page):
    site.people(ada=verified("ada@example.com", "Ada Lovelace"))
    page = new_page()
    sso_sign_in(page, "ada")
    expect(page.get_by_role("heading", name="Your rooms")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()

    expect(page).to_have_url(f"{site.server.url}/accounts/login/")
    assert site.provider.wait_event("end_session", timeout=30)["sub"] == "ada"
    start_sso(page)
    expect(page.locator("input[name=login]")).to_be_visible()  # asked who you are again


def test_deactivating_an_account_in_the_admin_closes_its_open_document_socket(site, new_page):
    site.people(dora=verified("dora@example.com", "Dora"))
    owner_token = site.server.seed["tokens"]["owner"]
    room = site.server.seed["room"]
    document = api_request(
        site.server.url, owner_token, "POST", f"rooms/{room}/documents", {"title": "Dora's"}
    )
    dora = new_page()
    sso_sign_in(dora, "dora")
    expect(dora.get_by_role("heading", name="Your rooms")).to_be_visible()
    open_document(dora, site.server, str(document["id"]))
    expect(status_of(dora)).not_to_have_text("Connecting…")

    admin = new_page()
    admin.goto("/admin/login/")  # a superuser keeps password sign-in here (COLLAB_SSO_ONLY)
    admin.get_by_label("Username").fill("admin")
    admin.get_by_label("Password").fill(site.server.seed["password"])
    admin.get_by_role("button", name="Log in").click()
    [(dora_id, *_)] = site.account("dora@example.com")
    admin.goto(f"/admin/auth/user/{dora_id}/change/")
    admin.get_by_label("Active").uncheck()
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_text("was changed successfully")).to_be_visible()

    expect(status_of(dora)).to_have_text(SIGNED_OUT)

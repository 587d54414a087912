"""The real ``@hocuspocus/provider`` in Chromium on ``/ws/hocuspocus``, signed in by the
browser's session (no token), converging with a Node Hocuspocus client. The provider, bundled
for the test, runs on a page of the site, so production serves nothing new for the test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import document_create, node_env, run_node

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PAGE = Path(__file__).parent / "hocuspocus_page"
HOCUS_CLIENTS = Path(__file__).parents[1] / "node" / "hocusclients.cjs"
PAGE_HTML = (
    '<!doctype html><meta charset="utf-8"><title>hocuspocus</title><script src="page.js"></script>'
)


@pytest.fixture(scope="module")
def page_script(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("hocuspocus-page") / "page.js"
    subprocess.run(
        ["node", str(PAGE / "bundle.cjs"), str(out)], env=node_env(), check=True, timeout=120
    )
    return out.read_text()


def test_browser_hocuspocus_provider_converges_with_a_node_client(people, app_server, page_script):
    document = document_create(app_server.url, app_server.seed, "hocuspocus-browser")
    page = people.sign_in("editor")

    # Playwright's evaluate runs the bundle as the page's own script would, unhindered by the
    # Content-Security-Policy (which allows no inline script), on a real page of the site.
    page.evaluate(page_script)
    page.evaluate("(name) => window.startHocuspocus(name)", document)
    page.wait_for_function("() => window.hocuspocus && window.hocuspocus.synced()")
    assert page.evaluate("() => window.hocuspocus.state") == {"scope": "read-write", "failed": None}
    page.evaluate("() => window.hocuspocus.insert(0, 'from the browser;')")
    page.wait_for_function("() => window.hocuspocus.saved()")

    result = run_node(
        "browserPeer",
        {
            "server": app_server.ws_url.removesuffix("/ws/docs"),
            "document": document,
            "editor2": app_server.seed["tokens"]["editor2"],
            "expect": "from the browser;",
            "write": " from node",
        },
        script=HOCUS_CLIENTS,
    )
    assert result["text"] == "from the browser; from node"
    page.wait_for_function("() => window.hocuspocus.text() === 'from the browser; from node'")

"""Where a webhook may send (``rooms/webhooks/addresses.py``): only to public addresses,
looking through every IPv6 form that leads to an IPv4 address; every address a name resolves
to is checked, the connection goes to the one checked, and a name server that never answers
is given up on."""

from __future__ import annotations

import socket
import threading

import pytest

from rooms.webhooks import addresses as webhook_addresses
from rooms.webhooks.addresses import AddressRefused, is_public, target_resolve
from rooms.webhooks.delivery import post
from tests.background.conftest import Receiver


def answers(monkeypatch, name: str, addresses: list[str]) -> list[str]:
    """The resolver answers ``addresses`` for ``name`` (and resolves literals as usual);
    returns the list of names looked up, which grows with each lookup."""
    real_getaddrinfo = socket.getaddrinfo
    looked_up: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != name:
            return real_getaddrinfo(host, port, *args, **kwargs)
        looked_up.append(host)
        return [real_getaddrinfo(address, port, *args, **kwargs)[0] for address in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return looked_up


# Each IPv6 form that embeds an IPv4 address, with a non-public one inside (refused) and with
# a public one (accepted), beside plain addresses of both kinds.
@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("1.1.1.1", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("192.0.2.1", False),
        ("::", False),
        ("::1", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("ff02::1", False),
        ("100::1", False),
        ("2001:db8::1", False),
        ("3fff::1", False),
        # site-local
        ("fec0::1", False),
        ("fed0::7f00:1", False),
        # IPv4-mapped
        ("::ffff:10.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:1.1.1.1", True),
        # IPv4-translated (SIIT)
        ("::ffff:0:127.0.0.1", False),
        ("::ffff:0:1.1.1.1", True),
        # IPv4-compatible
        ("::127.0.0.1", False),
        ("::10.0.0.1", False),
        ("::169.254.169.254", False),
        ("::1.1.1.1", True),
        # NAT64, well-known prefix
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::10.0.0.1", False),
        ("64:ff9b::169.254.169.254", False),
        ("64:ff9b::1.1.1.1", True),
        # NAT64, local-use prefix: read at every prefix length a gateway may use
        ("64:ff9b:1::7f00:1", False),
        ("64:ff9b:1:7f00:1::", False),  # 127.0.1.0 behind a /48 gateway
        ("64:ff9b:1:7f00:1:0:101:101", False),  # 1.1.1.1 at /96, 127.0.1.0 at /48
        ("64:ff9b:1:101:1:101:101:101", True),  # 1.1.1.1 whatever the length
        # 6to4
        ("2002:7f00:1::", False),
        ("2002:a9fe:a9fe::1", False),
        ("2002:c0a8:101::", False),
        ("2002:101:101::", True),
        # Teredo: server 65.54.227.120; client the inverted last 32 bits
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # client 127.0.0.1
        ("2001:0:a00:1::fefe:fefe", False),  # server 10.0.0.1, client 1.1.1.1
        ("2001:0:4136:e378:8000:63bf:fefe:fefe", True),  # client 1.1.1.1
    ],
)
def test_public_addresses(address, public):
    assert is_public(address) is public


@pytest.mark.parametrize("embedded", ["64:ff9b::7f00:1", "::127.0.0.1", "2002:7f00:1::"])
def test_a_name_with_any_address_embedding_a_private_one_is_refused(
    settings, monkeypatch, embedded
):
    answers(monkeypatch, "hooks.example.com", ["1.1.1.1", embedded])

    with pytest.raises(AddressRefused) as refused:
        target_resolve("https://hooks.example.com/in")

    assert refused.value.code == "url_private_address"


def test_a_delivery_connects_to_the_address_it_checked_without_looking_up_again(
    settings, monkeypatch
):
    """The name is resolved once per attempt; the request goes to that answer's address with
    the name in its ``Host`` header (a second lookup could be answered differently)."""
    settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE = True
    receiver = Receiver()
    looked_up = answers(monkeypatch, "hooks.example.com", ["127.0.0.1"])
    try:
        outcome = post(f"http://hooks.example.com:{receiver.port}/in", b"{}", {}, timeout=1)
    finally:
        receiver.close()

    assert (outcome.status_code, outcome.error) == (200, "")
    assert looked_up == ["hooks.example.com"]
    (request,) = receiver.requests
    assert request.headers["Host"] == f"hooks.example.com:{receiver.port}"


def test_a_resolved_target_keeps_the_host_for_the_request(settings):
    target = target_resolve("https://93.184.216.34:8443/a/b?c=d")

    assert (target.scheme, target.host, target.port) == ("https", "93.184.216.34", 8443)
    assert (target.address, target.path) == ("93.184.216.34", "/a/b?c=d")
    with pytest.raises(AddressRefused) as refused:
        target_resolve("http://127.0.0.1/")
    assert refused.value.code == "url_private_address"


def test_a_name_server_that_never_answers_is_given_up_on_after_the_timeout(settings, monkeypatch):
    """The system resolver takes no timeout: a lookup that hangs (here, until the test ends)
    must not hold a request or a delivery past its claim."""
    settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS = 0.2
    answer = threading.Event()

    def never_answers(*args, **kwargs):
        answer.wait(timeout=30)
        raise socket.gaierror("no answer")

    monkeypatch.setattr(socket, "getaddrinfo", never_answers)
    try:
        with pytest.raises(AddressRefused) as refused:
            target_resolve("https://hooks.example.com/in")
        outcome = post("https://hooks.example.com/in", b"{}", {}, timeout=0.2)
    finally:
        answer.set()

    assert refused.value.code == "url_unresolvable"
    assert "did not resolve within 0.2 s" in refused.value.detail
    assert outcome.status_code is None
    # Given up on, not answered: the resolver's own failure would read otherwise.
    assert outcome.error.startswith("url_unresolvable: ")
    assert "within 0.2 s" in outcome.error


def test_lookups_left_hanging_hold_at_most_a_bounded_number_of_threads(settings, monkeypatch):
    """Each lookup given up on keeps its thread until the resolver answers; once
    ``LOOKUPS_AT_ONCE`` are waiting, another is refused at once, and the slots come back as
    the hanging lookups end."""
    settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS = 0.1
    monkeypatch.setattr(webhook_addresses, "LOOKUPS_AT_ONCE", 2)
    monkeypatch.setattr(webhook_addresses, "_lookup_slots", threading.BoundedSemaphore(2))
    answer = threading.Event()
    real_getaddrinfo = socket.getaddrinfo

    def answers_when_told(*args, **kwargs):
        answer.wait(timeout=30)
        return real_getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)

    monkeypatch.setattr(socket, "getaddrinfo", answers_when_told)
    earlier = set(threading.enumerate())
    try:
        for _ in range(2):
            with pytest.raises(AddressRefused, match="did not resolve within"):
                target_resolve("https://hooks.example.com/in")
        with pytest.raises(AddressRefused) as refused:
            target_resolve("https://hooks.example.com/in")
        assert refused.value.code == "url_unresolvable"
        assert "2 earlier lookups are still waiting" in refused.value.detail
        # Refused without a lookup of its own: no third thread waits on the resolver.
        hanging = [t for t in set(threading.enumerate()) - earlier if t.name == "webhook-dns"]
        assert len(hanging) == 2
    finally:
        answer.set()

    for thread in hanging:
        thread.join(timeout=5)
    settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE = True
    assert target_resolve("https://hooks.example.com/in").address == "127.0.0.1"

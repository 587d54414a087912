"""Where a webhook may send: http(s) URLs whose host resolves only to public addresses.

A hook is a request the server makes on a room owner's behalf, so without this check anyone
who owns a room could make Collab reach its own database, metadata service or admin pages
(server-side request forgery). The check runs when a hook is saved, for a clear 400, and again
right before each delivery, whose connection then goes to the very address that was checked:
a name that resolved to a public address at creation and to 127.0.0.1 later (DNS rebinding)
is refused at delivery. An IPv6 address that leads to an IPv4 one (NAT64, 6to4, Teredo,
IPv4-mapped, -translated and -compatible) is judged by the IPv4 address inside, since behind a
NAT64 gateway ``[64:ff9b::7f00:1]`` is 127.0.0.1; a gateway's own network-specific prefix
cannot be known here, so a deployment using one must keep private IPv4 out of it at the
gateway. ``COLLAB_WEBHOOKS_ALLOW_PRIVATE`` lifts the address rule for deployments whose
receivers live on a private network (and for the tests' local receivers).

The lookup waits at most ``COLLAB_WEBHOOK_TIMEOUT_SECONDS``: the system resolver has no
timeout of its own to pass, and a name server that never answers would otherwise hold a
request, or a delivery past its claim. A lookup given up on keeps its thread until the
resolver gives up too; at most ``LOOKUPS_AT_ONCE`` run in a process, and past that a lookup is
refused at once instead of adding a thread.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

from rooms.core.errors import Invalid

ALLOWED_SCHEMES = ("http", "https")
URL_MAX_LENGTH = 2000
LOOKUPS_AT_ONCE = 32
_lookup_slots = threading.BoundedSemaphore(LOOKUPS_AT_ONCE)


class AddressRefused(Invalid):
    """The URL may not be used as a webhook (``field`` is ``url``; ``code`` says why)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to ask for there."""

    url: str
    scheme: str
    host: str
    port: int
    address: str
    path: str  # path and query, as the request line carries them


def url_parse(url: str) -> SplitResult:
    """``url`` split, if it is an absolute http(s) URL with a host. Raises ``AddressRefused``
    (``invalid_url``, ``url_scheme_not_allowed``)."""
    if not isinstance(url, str) or not url.strip() or len(url) > URL_MAX_LENGTH:
        raise AddressRefused("Give an absolute http(s) URL.", code="invalid_url", field="url")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError as error:
        raise AddressRefused(f"Not a URL: {error}.", code="invalid_url", field="url") from error
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise AddressRefused(
            "Webhook URLs must start with http:// or https://.",
            code="url_scheme_not_allowed",
            field="url",
        )
    if not parts.hostname:
        raise AddressRefused("The URL has no host.", code="invalid_url", field="url")
    if parts.username or parts.password:
        raise AddressRefused(
            "Put no credentials in the URL; verify deliveries with the signature instead.",
            code="invalid_url",
            field="url",
        )
    return parts


# IPv6 ranges whose packets end up at an IPv4 address written inside them (a translator, a
# tunnel or the host's own stack takes them there), so they are as public as that address.
_IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # SIIT
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # also holds :: and ::1
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")
# Not globally routable, and missing from the ranges Python 3.11's ``is_global`` knows.
_NOT_GLOBAL = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "fec0::/10",  # site-local (deprecated, still routed inside some sites)
        "3fff::/20",  # documentation (RFC 9637)
        "5f00::/16",  # segment routing identifiers (RFC 9602)
    )
)


def _rfc6052_ipv4(ip: ipaddress.IPv6Address, prefix_length: int) -> ipaddress.IPv4Address:
    """The IPv4 address a NAT64 translator with a prefix of this length reads in ``ip``
    (RFC 6052 section 2.2: the 32 bits after the prefix, skipping bits 64 to 71)."""
    value = int(ip)
    if prefix_length == 96:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    without_u_octet = ((value >> 64) << 56) | (value & ((1 << 56) - 1))
    return ipaddress.IPv4Address((without_u_octet >> (120 - prefix_length - 32)) & 0xFFFFFFFF)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address] | None:
    """The IPv4 addresses a packet to ``ip`` may reach, if ``ip`` is in a range that embeds
    them (``None`` if not): IPv4-mapped, -translated and -compatible addresses, NAT64 (the
    well-known prefix; the local-use /48 read at every prefix length it allows, as we do not
    know the gateway's), 6to4 and Teredo (its server, and its client with the bits inverted)."""
    if ip in _IPV4_MAPPED or ip in _IPV4_TRANSLATED or ip in _IPV4_COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip in _NAT64_WELL_KNOWN:
        return [_rfc6052_ipv4(ip, 96)]
    if ip in _NAT64_LOCAL_USE:
        return [_rfc6052_ipv4(ip, length) for length in (48, 56, 64, 96)]
    if ip in _SIX_TO_FOUR:
        return [ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)]
    if ip in _TEREDO:
        server = ipaddress.IPv4Address((int(ip) >> 64) & 0xFFFFFFFF)
        client = ipaddress.IPv4Address(~int(ip) & 0xFFFFFFFF)
        return [server, client]
    return None


def _ipv4_is_public(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast


def is_public(address: str) -> bool:
    """Whether ``address`` is globally routable: not loopback, private, link-local,
    site-local, shared, documentation, multicast, reserved or unspecified, and, for an IPv6
    address that embeds IPv4 ones (``embedded_ipv4``), every one of those public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv4Address):
        return _ipv4_is_public(ip)
    embedded = embedded_ipv4(ip)
    if embedded is not None:
        return all(map(_ipv4_is_public, embedded))
    return ip.is_global and not ip.is_multicast and not any(ip in net for net in _NOT_GLOBAL)


def target_resolve(url: str) -> Target:
    """Check ``url`` and resolve its host; returns the address to connect to.

    Every address the name resolves to must be public (unless
    ``COLLAB_WEBHOOKS_ALLOW_PRIVATE``), so a name with one public and one private record is
    refused too. Raises ``AddressRefused``: ``invalid_url``, ``url_scheme_not_allowed``,
    ``url_unresolvable`` (no such host, or no answer within the webhook timeout),
    ``url_private_address``.
    """
    parts = url_parse(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in _look_up(host, port)))
    if not addresses:
        raise AddressRefused(
            f"The host {host} does not resolve.", code="url_unresolvable", field="url"
        )
    if not settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE and not all(map(is_public, addresses)):
        raise AddressRefused(
            f"The host {host} resolves to a private or loopback address.",
            code="url_private_address",
            field="url",
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        url=url.strip(), scheme=scheme, host=host, port=port, address=addresses[0], path=path
    )


def _look_up(host: str, port: int) -> list[Any]:
    """``getaddrinfo`` on a thread of its own, waited for at most the webhook timeout (the
    thread is left to finish alone). Raises ``AddressRefused`` (``url_unresolvable``)."""
    timeout = settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS
    slots = _lookup_slots
    found: list[Any] = []
    failed: list[BaseException] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            failed.append(error)
        finally:
            slots.release()
            done.set()

    if not slots.acquire(blocking=False):
        raise AddressRefused(
            f"The host {host} was not looked up: {LOOKUPS_AT_ONCE} earlier lookups are still "
            "waiting for the name server.",
            code="url_unresolvable",
            field="url",
        )
    threading.Thread(target=look_up, name="webhook-dns", daemon=True).start()
    if not done.wait(timeout):
        raise AddressRefused(
            f"The host {host} did not resolve within {timeout:g} s.",
            code="url_unresolvable",
            field="url",
        )
    if failed:
        raise AddressRefused(
            f"The host {host} does not resolve.", code="url_unresolvable", field="url"
        ) from failed[0]
    return found

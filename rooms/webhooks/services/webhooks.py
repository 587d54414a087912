"""Outgoing webhooks of a room: create, change, delete, re-enable (room owners only).

A hook's secret is generated here and returned once, by ``webhook_create``; the API and the
admin never show it again. The URL is checked by ``rooms.webhooks.addresses`` (http(s),
resolving to public addresses only) and checked again before each delivery.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from rooms.core.errors import Invalid, NotFound
from rooms.membership.models import Role
from rooms.membership.permissions import Access, require_role
from rooms.membership.selectors import as_uuid, room_access
from rooms.webhooks.addresses import target_resolve
from rooms.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from rooms.webhooks.services.emit import delivery_queue

EVENT_NAMES = frozenset(event.value for event in WebhookEvent)


def webhook_access(*, actor: Any, room_id: Any, as_operator: bool = False) -> Access:
    """The actor's access to the room, if they own it. Raises ``NotFound`` (``room_not_found``)
    and ``Forbidden`` (``permission_denied``) for anyone but owners."""
    access = room_access(user=actor, room_id=room_id, as_operator=as_operator)
    require_role(access, Role.OWNER, "manage webhooks")
    return access


def clean_events(events: Any) -> list[str]:
    """The event names, deduplicated in the order given. Raises ``Invalid``: ``no_events`` for
    an empty list, ``unknown_event`` naming the first name that is not an event."""
    if not isinstance(events, list | tuple) or not all(isinstance(e, str) for e in events):
        raise Invalid("Give the events as a list of names.", code="invalid", field="events")
    if not events:
        raise Invalid("Subscribe to at least one event.", code="no_events", field="events")
    for name in events:
        if name not in EVENT_NAMES:
            raise Invalid(
                f"{name!r} is not an event; the events are {', '.join(sorted(EVENT_NAMES))}.",
                code="unknown_event",
                field="events",
            )
    return list(dict.fromkeys(events))


def webhook_get(*, actor: Any, room_id: Any, webhook_id: Any) -> Webhook:
    """One hook of the room. Raises ``NotFound`` (``webhook_not_found``) and what
    ``webhook_access`` raises."""
    access = webhook_access(actor=actor, room_id=room_id)
    key = as_uuid(webhook_id)
    hook = Webhook.objects.filter(room=access.room, pk=key).first() if key else None
    if hook is None:
        raise NotFound("No such webhook in this room.", code="webhook_not_found")
    return hook


def webhook_list(*, actor: Any, room_id: Any) -> QuerySet[Webhook]:
    access = webhook_access(actor=actor, room_id=room_id)
    return Webhook.objects.filter(room=access.room)


def webhook_create(*, actor: Any, room_id: Any, url: str, events: list[str]) -> Webhook:
    """Create an active hook with a new secret (``hook.secret``, to show this once).

    Raises ``Invalid`` for a bad URL (``invalid_url``, ``url_scheme_not_allowed``,
    ``url_unresolvable``, ``url_private_address``) or bad events (``no_events``,
    ``unknown_event``), and what ``webhook_access`` raises.
    """
    access = webhook_access(actor=actor, room_id=room_id)
    names = clean_events(events)
    target = target_resolve(url)
    return Webhook.objects.create(
        room=access.room,
        url=target.url,
        events=names,
        secret=secrets.token_hex(32),
        created_by=actor,
    )


def webhook_update(
    *,
    actor: Any,
    room_id: Any,
    webhook_id: Any,
    url: str | None = None,
    events: list[str] | None = None,
    is_active: bool | None = None,
) -> Webhook:
    """Change a hook's URL, events or active state; turning it on again is
    ``webhook_enable``. Raises what ``webhook_create`` raises."""
    hook = webhook_get(actor=actor, room_id=room_id, webhook_id=webhook_id)
    fields: list[str] = []
    if url is not None:
        hook.url = target_resolve(url).url
        fields.append("url")
    if events is not None:
        hook.events = clean_events(events)
        fields.append("events")
    if is_active is False and hook.is_active:
        hook.is_active = False
        hook.disabled_at = timezone.now()
        fields += ["is_active", "disabled_at"]
    with transaction.atomic():
        if fields:
            hook.save(update_fields=fields)
        if is_active is True and not hook.is_active:
            webhook_reactivate(hook)
    return hook


def webhook_enable(*, actor: Any, room_id: Any, webhook_id: Any) -> Webhook:
    """Turn a disabled hook on again: its failure count starts over and the deliveries it
    still owes (pending or failed, not given up) are sent again now."""
    return webhook_reactivate(webhook_get(actor=actor, room_id=room_id, webhook_id=webhook_id))


def webhook_reactivate(hook: Webhook) -> Webhook:
    """``webhook_enable`` without the permission check: for the admin's action."""
    with transaction.atomic():
        hook.is_active = True
        hook.disabled_at = None
        hook.consecutive_failures = 0
        hook.save(update_fields=["is_active", "disabled_at", "consecutive_failures"])
        owed = list(
            WebhookDelivery.objects.filter(
                webhook=hook, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
            ).values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=owed).update(next_attempt_at=timezone.now())
        for delivery_id in owed:
            delivery_queue(delivery_id)
    return hook


def webhook_delete(*, actor: Any, room_id: Any, webhook_id: Any) -> None:
    """Delete a hook with its deliveries and their attempts."""
    webhook_get(actor=actor, room_id=room_id, webhook_id=webhook_id).delete()


def webhook_deliveries(*, actor: Any, room_id: Any, webhook_id: Any) -> QuerySet[WebhookDelivery]:
    """A hook's deliveries, newest first, with their attempts."""
    hook = webhook_get(actor=actor, room_id=room_id, webhook_id=webhook_id)
    return WebhookDelivery.objects.filter(webhook=hook).prefetch_related("attempts")


def delivery_redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery that gave up (or failed) once more, now, with the same
    ``X-Collab-Delivery`` id; a delivered one is never sent again. For the admin's action."""
    if delivery.status == DeliveryStatus.SUCCEEDED:
        return delivery
    with transaction.atomic():
        delivery.status = DeliveryStatus.FAILED if delivery.attempt_count else delivery.status
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        delivery_queue(delivery.pk)
    return delivery

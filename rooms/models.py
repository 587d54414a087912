"""Registers every concept's models with Django's app ``rooms`` (one app, one migration
history: the tables keep their ``rooms_`` names). Code imports a model from its concept's
``models`` module, never from here."""

from __future__ import annotations

from rooms.chat import models as chat_models
from rooms.comments import models as comment_models
from rooms.documents import models as document_models
from rooms.membership import models as membership_models
from rooms.notifications import models as notification_models
from rooms.search import models as search_models
from rooms.sync import models as sync_models
from rooms.webhooks import models as webhook_models

CONCEPT_MODELS = (
    membership_models,
    document_models,
    sync_models,
    chat_models,
    comment_models,
    notification_models,
    search_models,
    webhook_models,
)

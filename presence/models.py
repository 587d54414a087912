"""What presence keeps in the database: when each person was last in each room.

Who is in a room right now lives in the presence registry (memory or Redis), not here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LastSeen(models.Model):
    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "last seen"
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="last_seen_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id} at {self.seen_at}"

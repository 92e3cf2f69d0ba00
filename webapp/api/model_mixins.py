"""Abstract model fields that several bounded contexts' records share.

Abstract: they add columns to each model that inherits them (the migrations are those of the
columns as written before), never a table of their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CreatedRecord(models.Model):
    """A record that remembers who created it (null once that user is deleted) and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class BackgroundJob(CreatedRecord):
    """Work done in the background after a request started it: ``error`` says why it failed;
    ``revision`` grows with each saved change (the frames of ``webapp.revisions`` carry it);
    ``started_at`` and ``finished_at`` are null until it starts and ends."""

    error = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

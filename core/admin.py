"""Helpers for the apps' admin classes (core registers no models of its own)."""

from django.db import models


def took_the_saved_row(obj: models.Model, saved: models.Model) -> None:
    """An admin that saves through a service goes on with its own ``obj`` (History, messages,
    related rows): give it what the service saved (its id, rendered HTML, times)."""
    for model_field in obj._meta.concrete_fields:
        setattr(obj, model_field.attname, getattr(saved, model_field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db

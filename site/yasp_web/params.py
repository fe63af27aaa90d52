"""Validation of query strings: only known keys, each parsed by a Django form."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

# Largest ids the site accepts: account ids are 32-bit; match ids are far below 2**40 today.
MAX_ACCOUNT_ID = 2**32 - 2
MAX_MATCH_ID = 2**40
STEAMID64_BASE = 76561197960265728


class QueryError(ValueError):
    """A query string the site refuses; the message is safe to show."""


def query_validate(form_class: type[forms.Form], query: QueryDict) -> dict:
    """The cleaned values of `query`, refusing unknown keys and repeated or invalid values."""
    form = form_class(query)
    unknown = sorted(set(query.keys()) - set(form.fields))
    if unknown:
        raise QueryError(f"unknown parameter: {unknown[0][:40]}")
    for key in query.keys():
        if len(query.getlist(key)) > 1:
            raise QueryError(f"parameter given more than once: {key}")
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise QueryError(f"{field}: {errors[0]}")
    return form.cleaned_data


def account_id_from_text(text: str) -> int | None:
    """An account id from a 32-bit account id or a 64-bit Steam id, or None."""
    text = text.strip()
    if not text.isdigit() or len(text) > 20:
        return None
    number = int(text)
    if number >= STEAMID64_BASE:
        number -= STEAMID64_BASE
    return number if 0 < number <= MAX_ACCOUNT_ID else None

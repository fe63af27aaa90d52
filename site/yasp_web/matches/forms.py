"""The request-a-parse form."""

from __future__ import annotations

from django import forms

from yasp_web.params import MAX_MATCH_ID


class ParseRequestForm(forms.Form):
    """A match id to parse."""

    match_id = forms.IntegerField(min_value=1, max_value=MAX_MATCH_ID, label="Match id")

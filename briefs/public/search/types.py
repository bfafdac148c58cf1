"""What a search backend gives back for one hit."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Row(NamedTuple):
    """One hit as a backend reads it: enough to show it, no model."""

    variant_id: int
    slug: str
    audience_id: int
    title: str
    published: dt.datetime | str
    excerpt: str  # the matches between text.plain.START and STOP

"""Markdown that carries text from a file or a program: it renders as text, nothing more.

A pull request's plan can name resources, principals and values at will. Printed into a
comment as they are, such strings could mention people, link elsewhere, inject HTML or break a
table; here they become inert text.
"""

from __future__ import annotations

import re

# Inline Markdown: emphasis, code, links and images, HTML, tables, strikethrough, entities.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
LIMIT = 300


def _line(value: object, limit: int) -> str:
    line = " ".join(str(value).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def text(value: object, limit: int = LIMIT) -> str:
    """Plain text in a line or a table cell: inline Markdown escaped, no mention, no autolink,
    one line, at most `limit` characters."""
    escaped = _SPECIAL.sub(r"\\\1", _line(value, limit))
    for inert, breaker in (("@", "@\u200b"), ("://", ":\u200b//"), ("www.", "www\u200b.")):
        escaped = escaped.replace(inert, breaker)
    return escaped


def code(value: object, limit: int = LIMIT) -> str:
    """An inline code span: nothing inside is interpreted; safe in a table cell."""
    line = _line(value, limit).replace("`", "'").replace("|", "\\|")
    return f"`{line}`" if line else "` `"

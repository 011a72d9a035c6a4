"""`estate report`: who can do what, where, and the verdict of every isolation rule.

The report is a list of sections with tables, rendered to Markdown or to one self-contained
HTML page; the estate diagram is Mermaid in Markdown and inline SVG in HTML. Everything is
sorted, so the same input gives the same bytes.
"""

from .render import render_html, render_markdown

__all__ = ["render_html", "render_markdown"]

"""`estate diff BASE.json HEAD.json`: what a change does to the estate, access first.

Both sides are offline plans. Access is read from the registered resources themselves
(grants, permissions, bindings, entitlements), so hand-written resources count too.
"""

from .compare import EstateDiff, diff
from .render import diff_json, diff_markdown

__all__ = ["EstateDiff", "diff", "diff_json", "diff_markdown"]

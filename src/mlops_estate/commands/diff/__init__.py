"""`estate diff BASE.json HEAD.json`: what a change does to the estate, access first.

Both sides are offline plans. A change to what the stack config trusts comes first. Access is
read from the registered resources themselves (every access path the rules understand), so
hand-written resources count too; aliased moves are told apart from replacements.
"""

from .compare import DiffError, EstateDiff, diff
from .render import diff_json, diff_markdown

__all__ = ["DiffError", "EstateDiff", "diff", "diff_json", "diff_markdown"]

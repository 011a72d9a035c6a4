"""The isolation rules, shared by the policy pack, `estate plan`, the reports and the audit.

Nothing here constructs a `PolicyPack`: that would block the importing process. Importing
this package registers every rule, by concern, in `RULES`.
"""

# Importing a concern registers its rules; this order is the rules' documented order.
from . import unity_catalog, workspace, principals, azure, network  # noqa: F401, I001
from . import evidence, secrets, deploy_order, closed_world  # noqa: F401
from .evaluate import NotApplicableYet, Violation, evaluate, mandatory
from .registry import RULES, Rule
from .resource import Resource
from .trust import Trust

__all__ = [
    "RULES",
    "NotApplicableYet",
    "Resource",
    "Rule",
    "Trust",
    "Violation",
    "evaluate",
    "mandatory",
]

"""The isolation policies of ISOLATION_RULES.md, shared by the policy pack and `estate plan`.

Nothing here constructs a `PolicyPack`: that would block the importing process.
"""

from .evaluate import NotApplicableYet, Violation, evaluate
from .model import Resource, environment_tags
from .rules import RULES, Rule

__all__ = ["RULES", "NotApplicableYet", "Resource", "Rule", "Violation", "environment_tags",
           "evaluate"]

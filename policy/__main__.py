"""The isolation policy pack: `pulumi preview --policy-pack policy`.

The rules live in `mlops_estate.rules`, shared with `estate plan`; this file only wraps them.
"""

from pulumi_policy import EnforcementLevel, PolicyPack

from mlops_estate.rules.pack import PACK_NAME, pack_policies

PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=pack_policies(),
)

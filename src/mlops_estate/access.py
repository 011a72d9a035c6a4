"""The declared access model: who holds what on which securable, and the Grants that enforce it.

Components describe their grants as `AccessGrant`s; the same list creates the authoritative
`databricks.Grants` and becomes the auditors' access matrix, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_databricks as databricks

PrincipalKind = Literal["group", "service_principal"]
SecurableType = Literal["catalog", "schema", "external_location", "storage_credential"]


@dataclass(frozen=True)
class Principal:
    """A group (by display name) or a service principal (by application id)."""

    role: str
    kind: PrincipalKind
    name: pulumi.Input[str]


@dataclass(frozen=True)
class AccessGrant:
    securable_type: SecurableType
    securable: str
    principal: Principal
    privileges: tuple[str, ...]


def authoritative_grants(resource_name: str, securable_type: SecurableType,
                         securable: pulumi.Input[str], grants: list[AccessGrant],
                         opts: pulumi.ResourceOptions) -> databricks.Grants:
    """The only grants on `securable`: anything granted by hand is revoked on the next update."""
    return databricks.Grants(
        resource_name,
        grants=[databricks.GrantsGrantArgs(principal=grant.principal.name,
                                           privileges=list(grant.privileges))
                for grant in grants],
        opts=opts,
        **{securable_type: securable})


def access_matrix(grants: list[AccessGrant]) -> pulumi.Output[list[dict[str, object]]]:
    """The access matrix as one stack output, resolving each principal's name once."""
    principals = list({grant.principal.role: grant.principal for grant in grants}.values())

    def rows(names: list[str]) -> list[dict[str, object]]:
        name_of = {principal.role: name for principal, name in zip(principals, names,
                                                                   strict=True)}
        return [{"principal": name_of[grant.principal.role], "role": grant.principal.role,
                 "principal_kind": grant.principal.kind,
                 "securable_type": grant.securable_type, "securable": grant.securable,
                 "privileges": list(grant.privileges)} for grant in grants]

    return pulumi.Output.all(*[principal.name for principal in principals]).apply(rows)

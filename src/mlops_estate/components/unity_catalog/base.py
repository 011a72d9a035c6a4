"""What every Unity Catalog component shares: bound securables and authoritative grants.

Pass the workspace-level Databricks provider through `opts.providers`; every securable is
bound to the environment's workspace only, and every grant is authoritative.
"""

from __future__ import annotations

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.unity_catalog import CATALOG_ISOLATED, READ_WRITE, Binding, SecurableType
from ..access import AccessGrant, Principal, authoritative_grants


class UnityCatalogComponent(pulumi.ComponentResource):
    """Collects the component's bindings and grants, the auditors' view of it.

    Securables are named by their known names; the resources take them from the securable's
    resource (`of`), so they wait for it.
    """

    def __init__(self, token: str, name: str, opts: pulumi.ResourceOptions | None) -> None:
        super().__init__(token, name, None, opts)
        self.bindings: list[Binding] = []
        self.grants: list[AccessGrant] = []
        self.owners: list[tuple[str, str, Principal]] = []

    def _bind(self, resource_name: str, binding: Binding, of: pulumi.Input[str]) -> None:
        databricks.WorkspaceBinding(
            resource_name,
            securable_type=binding.securable_type,
            securable_name=of,
            workspace_id=binding.workspace_id,
            binding_type=binding.binding_type,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.bindings.append(binding)

    def _owned(self, securable_type: SecurableType, securable: str, owner: Principal) -> None:
        self.owners.append((securable_type, securable, owner))

    def _home_catalog(
        self,
        resource_name: str,
        catalog_name: str,
        storage_root: pulumi.Input[str],
        workspace_id: pulumi.Input[str],
        owner: Principal,
        comment: str,
        opts: pulumi.ResourceOptions,
    ) -> databricks.Catalog:
        """An isolated catalog, bound read-write to this environment's workspace only."""
        catalog = databricks.Catalog(
            resource_name,
            name=catalog_name,
            storage_root=pulumi.Output.concat(storage_root, catalog_name),
            isolation_mode=CATALOG_ISOLATED,
            owner=owner.name,
            comment=comment,
            opts=opts,
        )
        self._owned("catalog", catalog_name, owner)
        self._bind(
            f"{resource_name}-binding",
            Binding("catalog", catalog_name, workspace_id, READ_WRITE),
            catalog.name,
        )
        return catalog

    def _grant(
        self,
        resource_name: str,
        securable_type: SecurableType,
        of: pulumi.Input[str],
        grants: list[AccessGrant],
    ) -> None:
        authoritative_grants(
            resource_name, securable_type, of, grants, pulumi.ResourceOptions(parent=self)
        )
        self.grants.extend(grants)


def reader_grants(
    securable_type: SecurableType, securable: str, readers: list[tuple[Principal, list[str]]]
) -> list[AccessGrant]:
    """One grant per reader that is given any privilege."""
    return [
        AccessGrant(securable_type, securable, principal, tuple(privileges))
        for principal, privileges in readers
        if privileges
    ]

"""What a stack rule knows beyond one resource: the stack's own workspace, deployer, bindings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..vocabulary.resource_types import (
    AZURE_WORKSPACE,
    CATALOG,
    SERVICE_PRINCIPAL,
    WORKSPACE_BINDING,
)
from ..vocabulary.unity_catalog import READ_WRITE, Binding
from .resource import NotYetKnown, Resource
from .trust import Trust


@dataclass(frozen=True)
class StackContext:
    """Facts that span resources, read once per stack, unknown values left as None."""

    trust: Trust
    catalogs: frozenset[str]
    bindings: dict[str, Binding]  # by the binding resource's URN
    workspace_ids: frozenset[str]
    unknown_workspace: bool
    service_principals: frozenset[str]  # application ids the stack registers

    def bindings_of(self, securable_type: str, name: str) -> list[tuple[str, Binding]]:
        """(URN, binding) of every binding of one securable."""
        return [
            (urn, b)
            for urn, b in self.bindings.items()
            if b.securable_type == securable_type and b.securable == name
        ]

    def is_own_workspace(self, binding: Binding) -> bool:
        if binding.workspace_id is None or self.unknown_workspace:
            raise NotYetKnown("workspaceId")
        return binding.workspace_id in self.workspace_ids

    def is_platform_principal(self, principal: str) -> bool:
        return principal in self.service_principals or principal == self.trust.platform_admins


def _binding(resource: Resource) -> Binding:
    securable = resource.known("securableName") or resource.known("catalogName")
    workspace_id = resource.known("workspaceId")
    return Binding(
        securable_type=str(resource.known("securableType", default="catalog")),
        securable=str(securable) if securable else "",
        workspace_id=str(workspace_id) if workspace_id is not None else None,
        binding_type=str(resource.known("bindingType", default=READ_WRITE)),
    )


def stack_context(resources: Iterable[Resource], trust: Trust) -> StackContext:
    resources = list(resources)
    workspace_ids = [r.known("workspaceId") for r in resources if r.type == AZURE_WORKSPACE]
    return StackContext(
        trust=trust,
        catalogs=frozenset(
            str(name) for name in (r.known("name") for r in resources if r.type == CATALOG) if name
        ),
        bindings={r.urn: _binding(r) for r in resources if r.type == WORKSPACE_BINDING},
        workspace_ids=frozenset(str(w) for w in workspace_ids if w),
        unknown_workspace=any(not w for w in workspace_ids),
        service_principals=frozenset(
            str(a)
            for a in (r.known("applicationId") for r in resources if r.type == SERVICE_PRINCIPAL)
            if a
        ),
    )

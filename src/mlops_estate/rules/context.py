"""What a stack rule knows beyond one resource: the stack's own workspace, deployer, bindings.

Each fact is found through what the config declares: the workspace, the deployer identity and
the access connector are the resources with the configured names, whatever else the program
registers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..vocabulary.resource_types import (
    ACCESS_CONNECTOR,
    AZURE_WORKSPACE,
    CATALOG,
    SERVICE_PRINCIPAL,
    USER_ASSIGNED_IDENTITY,
    WORKSPACE_BINDING,
)
from ..vocabulary.unity_catalog import READ_WRITE, Binding
from .resource import NotYetKnown, Resource
from .trust import Trust

GET_GROUP = "databricks:index/getGroup:getGroup"


@dataclass(frozen=True)
class StackContext:
    """Facts that span resources, read once per stack, unknown values left as None."""

    trust: Trust
    resources: tuple[Resource, ...]
    catalogs: frozenset[str]
    bindings: dict[str, Binding]  # by the binding resource's URN
    workspaces: tuple[Resource, ...]
    """Every Azure Databricks workspace the stack registers."""
    own_workspace: Resource | None
    """The workspace the config names."""
    deployer_application_id: str | None
    """The client id of the deployer identity the config names: the deployer's name in
    Databricks; None while unknown."""
    deployer_principal_id: str | None
    access_connector_principal_id: str | None
    access_connector: Resource | None = None
    """The access connector the config names."""
    deployer_identity: Resource | None = None
    """The user-assigned managed identity the config names."""
    deployer_service_principal: Resource | None = None
    """The Databricks service principal whose application id is that identity's client id."""
    group_names: dict[str, str] = field(default_factory=dict)
    """Group ids the program looked up, and the display names it looked up."""
    lookups_seen: bool = False
    """Whether the judge sees the program's lookups (an offline plan); a policy pack does not,
    so the checks that need a group's name run in `estate plan`, which the deploy workflows
    run before the preview."""

    def resource(self, urn: str) -> Resource | None:
        return self._by_urn.get(urn)

    @cached_property
    def _by_urn(self) -> dict[str, Resource]:
        return {r.urn: r for r in self.resources}

    def named(self, type_: str, key: str, name: str) -> Resource | None:
        """The one resource of `type_` whose `key` is `name`; None if none or several are."""
        return _named(self.resources, type_, key, name)

    def of_type(self, type_: str) -> list[Resource]:
        """The stack's resources of one type, in the order they were registered."""
        return [r for r in self.resources if r.type == type_]

    def waits_for(self, urn: str) -> frozenset[str]:
        """Every resource the one registered as `urn` waits for, directly or through others:
        its dependencies and its provider, and theirs."""
        return self._waits_for.get(urn, frozenset())

    @cached_property
    def _waits_for(self) -> dict[str, frozenset[str]]:
        direct = {
            r.urn: {*r.dependencies, *([r.provider] if r.provider else [])} for r in self.resources
        }
        closure: dict[str, frozenset[str]] = {}
        for start in direct:
            seen: set[str] = set()
            pending = list(direct[start])
            while pending:
                urn = pending.pop()
                if urn not in seen:
                    seen.add(urn)
                    pending.extend(direct.get(urn, ()))
            closure[start] = frozenset(seen)
        return closure

    def bindings_of(self, securable_type: str, name: str) -> list[tuple[str, Binding]]:
        """(URN, binding) of every binding of one securable."""
        return [
            (urn, b)
            for urn, b in self.bindings.items()
            if b.securable_type == securable_type and b.securable == name
        ]

    def comes_only_from_declared_identities(self, resource: Resource, key: str) -> bool:
        """Whether an unknown value of `key` can only be the deployer's: it comes from the
        deployer identity or its service principal and from nothing else."""
        sources = resource.property_dependencies.get(key)
        declared = {r.urn for r in (self.deployer_identity, self.deployer_service_principal) if r}
        return bool(sources) and set(sources) <= declared

    def binds_own_workspace(self, binding_urn: str) -> bool:
        """Whether the binding registered as `binding_urn` names the stack's own workspace.

        While the workspace's id is unknown (a preview before it exists), a binding whose
        workspace id comes from the own workspace resource is known to name it.
        """
        own = self.own_workspace
        binding = self.bindings[binding_urn]
        binding_resource = self.resource(binding_urn)
        if binding_resource is not None and holds(
            binding_resource, "workspaceId", own, "workspaceId"
        ):
            return True
        if own is None:
            return False
        own_id = own.known("workspaceId")
        if not own_id:
            raise NotYetKnown("workspaceId")
        # Left unknown while the own workspace's id is known: not the own workspace (`holds`).
        return binding.workspace_id is not None and binding.workspace_id == str(own_id)

    def is_platform_principal(self, principal: str) -> bool:
        """The deployer, the runner, or the platform admins group."""
        return principal in self.platform_principals

    @property
    def platform_principals(self) -> frozenset[str]:
        trust = self.trust
        return frozenset(
            filter(
                None,
                (self.deployer_application_id, trust.runner_application_id, trust.platform_admins),
            )
        )

    @property
    def declared_service_principals(self) -> frozenset[str]:
        """The service principals the config declares, by application id."""
        return frozenset(
            filter(None, (self.deployer_application_id, self.trust.runner_application_id))
        )


def holds(
    resource: Resource, key: str | tuple[str | int, ...], source: Resource | None, *source_key: str
) -> bool:
    """Whether the value of `key` (a property, or a path into one) is `source`'s value at
    `source_key`.

    A known value must equal the source's known value: a value computed from the source (an
    `apply` that keeps the dependency and replaces the value) is not the source's. While both
    are unknown (a preview before the source exists), the value is the source's only if it
    comes from the source and from nothing else; a value the program leaves unknown while the
    source is known is not.
    """
    if source is None:
        return False
    path = (key,) if isinstance(key, str) else key
    value, expected = resource.known(*path), source.known(*source_key)
    if value is None:
        # Unknown while the source is known is the program's doing, not the engine's: only
        # while the source itself is still unknown does the dependency (recorded per top-level
        # property) stand for the value.
        dependencies = resource.property_dependencies.get(str(path[0]))
        return expected is None and dependencies == (source.urn,)
    return expected is not None and canonical(value) == canonical(expected)


def canonical(value: object) -> str:
    """A value as text, with numeric ids in one form: the engine passes numbers as floats
    (6846187312993921 arrives as 6846187312993921.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def binding_of(resource: Resource) -> Binding:
    """A WorkspaceBinding (or the deprecated CatalogWorkspaceBinding) as a Binding."""
    securable = resource.known("securableName") or resource.known("catalogName")
    workspace_id = resource.known("workspaceId")
    return Binding(
        securable_type=str(resource.known("securableType", default="catalog")),
        securable=str(securable) if securable else "",
        workspace_id=str(workspace_id) if workspace_id is not None else None,
        binding_type=str(resource.known("bindingType", default=READ_WRITE)),
    )


def looked_up_groups(lookups: Iterable[Any]) -> dict[str, str]:
    """Group ids the program looked up (`get_group`), and the display names it looked up."""
    return {
        str(lookup.result.get("id")): str(lookup.args.get("displayName"))
        for lookup in lookups
        if lookup.token == GET_GROUP
    }


def _named(resources: Sequence[Resource], type_: str, key: str, name: str) -> Resource | None:
    matches = [r for r in resources if r.type == type_ and r.known(key) == name]
    return matches[0] if len(matches) == 1 else None


def stack_context(
    resources: Iterable[Resource], trust: Trust, lookups: Iterable[Any] | None = None
) -> StackContext:
    """The stack's facts; `lookups` are the invokes the program made, where a plan has them
    (even none: a program that hides its lookups does not turn the plan into a pack)."""
    resources = tuple(resources)
    deployer = _named(resources, USER_ASSIGNED_IDENTITY, "resourceName", trust.deployer_identity)
    connector = _named(resources, ACCESS_CONNECTOR, "connectorName", trust.access_connector)
    application_id = deployer.known("clientId") if deployer else None
    service_principal = next(
        (
            r
            for r in resources
            if r.type == SERVICE_PRINCIPAL
            and deployer is not None
            and holds(r, "applicationId", deployer, "clientId")
        ),
        None,
    )
    seen = lookups is not None
    lookups = list(lookups or ())
    return StackContext(
        trust=trust,
        resources=resources,
        catalogs=frozenset(
            str(name) for name in (r.known("name") for r in resources if r.type == CATALOG) if name
        ),
        bindings={r.urn: binding_of(r) for r in resources if r.type == WORKSPACE_BINDING},
        workspaces=tuple(r for r in resources if r.type == AZURE_WORKSPACE),
        own_workspace=_named(resources, AZURE_WORKSPACE, "workspaceName", trust.workspace_name),
        deployer_application_id=application_id,
        deployer_principal_id=deployer.known("principalId") if deployer else None,
        access_connector_principal_id=(
            connector.known("identity", "principalId") if connector else None
        ),
        access_connector=connector,
        deployer_identity=deployer,
        deployer_service_principal=service_principal,
        group_names=looked_up_groups(lookups),
        lookups_seen=seen,
    )

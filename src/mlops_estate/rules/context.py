"""What a stack rule knows beyond one resource: its environment, own workspace and bindings."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass

from pulumi_policy.proxy import UnknownValueError

from ..vocabulary.resource_types import (
    AZURE_WORKSPACE,
    CATALOG,
    SERVICE_PRINCIPAL,
    WORKSPACE_BINDING,
)
from ..vocabulary.unity_catalog import READ_WRITE, Binding
from .resource import NotYetKnown, Resource

# Tags on the Azure Databricks workspace that tell the rules about their environment.
ENVIRONMENT_TAG = "environment"
PLATFORM_ADMINS_TAG = "mlops-estate-platform-admins"
DATA_SCIENTISTS_TAG = "mlops-estate-data-scientists"
DEVELOPMENT_CATALOG_TAG = "mlops-estate-development-catalog"
FEATURE_SCHEMA_TAG = "mlops-estate-feature-development-schema"


@dataclass(frozen=True)
class PolicyEnvironment:
    """Which environment a stack is, and its platform principals, read from its resources."""

    environment: str | None
    workspace_ids: frozenset[str]
    service_principals: frozenset[str]
    platform_groups: frozenset[str] = frozenset()
    data_scientists: str | None = None
    development_catalog: str | None = None
    feature_development_schema: str | None = None
    unknown_workspace: bool = False

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    def is_platform_principal(self, principal: str) -> bool:
        return principal in self.service_principals or principal in self.platform_groups

    def is_development_schema(self, full_name: str) -> bool:
        return (
            self.development_catalog is not None
            and full_name == f"{self.development_catalog}.{self.feature_development_schema}"
        )

    def is_governed(self, securable: str) -> bool:
        """Every catalog, and anything in one, except the development catalog."""
        return securable.split(".")[0] != self.development_catalog


def environment_tags(
    environment: str,
    platform_admins: str,
    data_scientists: str,
    development_catalog: str | None,
    feature_schema: str,
) -> dict[str, str]:
    """The workspace tags from which `read_environment` knows the stack's environment."""
    tags = {
        ENVIRONMENT_TAG: environment,
        PLATFORM_ADMINS_TAG: platform_admins,
        DATA_SCIENTISTS_TAG: data_scientists,
    }
    if development_catalog:
        tags.update(
            {DEVELOPMENT_CATALOG_TAG: development_catalog, FEATURE_SCHEMA_TAG: feature_schema}
        )
    return tags


def _environment_of_stack(stack: str) -> str | None:
    for environment in ("prod", "uat"):
        if stack == environment or stack.startswith(f"{environment}-"):
            return environment
    return None


def read_environment(resources: Iterable[Resource]) -> PolicyEnvironment:
    """The environment from the workspace's tags, else from the stack name (uat*, prod*)."""
    resources = list(resources)
    tags: dict[str, str] = {}
    workspace_ids: set[str] = set()
    unknown_workspace = False
    for workspace in (r for r in resources if r.type == AZURE_WORKSPACE):
        with suppress(NotYetKnown, UnknownValueError):
            tags.update(workspace.get("tags", default={}))
        workspace_id = workspace.known("workspaceId")
        if workspace_id:
            workspace_ids.add(str(workspace_id))
        else:
            unknown_workspace = True
    service_principals = {
        str(application_id)
        for application_id in (
            principal.known("applicationId")
            for principal in resources
            if principal.type == SERVICE_PRINCIPAL
        )
        if application_id
    }
    stack = resources[0].stack if resources else ""
    return PolicyEnvironment(
        environment=tags.get(ENVIRONMENT_TAG) or _environment_of_stack(stack),
        workspace_ids=frozenset(workspace_ids),
        service_principals=frozenset(service_principals),
        platform_groups=frozenset(filter(None, [tags.get(PLATFORM_ADMINS_TAG)])),
        data_scientists=tags.get(DATA_SCIENTISTS_TAG),
        development_catalog=tags.get(DEVELOPMENT_CATALOG_TAG),
        feature_development_schema=tags.get(FEATURE_SCHEMA_TAG),
        unknown_workspace=unknown_workspace,
    )


@dataclass(frozen=True)
class StackContext:
    """Facts that span resources, read once per stack, unknown values left as None."""

    env: PolicyEnvironment
    catalogs: frozenset[str]
    bindings: dict[str, Binding]  # by the binding resource's URN

    def bindings_of(self, securable_type: str, name: str) -> list[tuple[str, Binding]]:
        """(URN, binding) of every binding of one securable."""
        return [
            (urn, b)
            for urn, b in self.bindings.items()
            if b.securable_type == securable_type and b.securable == name
        ]

    def is_own_workspace(self, binding: Binding) -> bool:
        if binding.workspace_id is None or self.env.unknown_workspace:
            raise NotYetKnown("workspaceId")
        return binding.workspace_id in self.env.workspace_ids


def _binding(resource: Resource) -> Binding:
    securable = resource.known("securableName") or resource.known("catalogName")
    workspace_id = resource.known("workspaceId")
    return Binding(
        securable_type=str(resource.known("securableType", default="catalog")),
        securable=str(securable) if securable else "",
        workspace_id=str(workspace_id) if workspace_id is not None else None,
        binding_type=str(resource.known("bindingType", default=READ_WRITE)),
    )


def stack_context(resources: Iterable[Resource]) -> StackContext:
    resources = list(resources)
    catalogs = frozenset(
        str(name) for name in (r.known("name") for r in resources if r.type == CATALOG) if name
    )
    bindings = {r.urn: _binding(r) for r in resources if r.type == WORKSPACE_BINDING}
    return StackContext(env=read_environment(resources), catalogs=catalogs, bindings=bindings)

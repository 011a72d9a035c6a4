"""What a rule sees: resources as the policy engine and `estate plan` both present them.

During a real preview some values are unknown: reading one raises `NotYetKnown`, and the
evaluator reports the rule as not applicable yet for that resource; the update checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from pulumi_policy.proxy import (
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

_UNKNOWN_SENTINELS = {UNKNOWN_ARRAY_VALUE, UNKNOWN_BOOLEAN_VALUE, UNKNOWN_NUMBER_VALUE,
                      UNKNOWN_OBJECT_VALUE, UNKNOWN_STRING_VALUE}
_MISSING = object()

# Tags on the Azure Databricks workspace that tell the rules about their environment.
ENVIRONMENT_TAG = "environment"
PLATFORM_ADMINS_TAG = "mlops-estate-platform-admins"
DATA_SCIENTISTS_TAG = "mlops-estate-data-scientists"
DEVELOPMENT_CATALOG_TAG = "mlops-estate-development-catalog"
FEATURE_SCHEMA_TAG = "mlops-estate-feature-development-schema"

AZURE_WORKSPACE = "azure-native:databricks:Workspace"
SERVICE_PRINCIPAL = "databricks:index/servicePrincipal:ServicePrincipal"

_APPLICATION_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                             r"[0-9a-fA-F]{12}")


class NotYetKnown(Exception):
    """A value the rule needs is unknown until the update."""


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    protect: bool = False
    retain_on_delete: bool = False

    def get(self, *path: str | int, default: Any = None) -> Any:
        """The value at `path` in the props, `default` if absent; NotYetKnown if unknown."""
        node: Any = self.props
        for key in path:
            try:
                node = node[key]
            except UnknownValueError:
                raise NotYetKnown(".".join(map(str, path))) from None
            except (KeyError, IndexError, TypeError):
                return default
            if node is None:
                return default
        if isinstance(node, str) and node in _UNKNOWN_SENTINELS:
            raise NotYetKnown(".".join(map(str, path)))
        return node

    def items(self, *path: str) -> list[Any]:
        """The list at `path` (empty if absent), each element checked for unknowns."""
        value = self.get(*path, default=[])
        return [self.get(*path, index) for index in range(len(value))]

    @property
    def stack(self) -> str:
        return self.urn.split("::")[0].removeprefix("urn:pulumi:")


def is_service_principal(principal: str) -> bool:
    """Service principals appear in grants and access lists by their application id."""
    return bool(_APPLICATION_ID.fullmatch(principal))


def is_user(principal: str) -> bool:
    return "@" in principal


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
        return (self.development_catalog is not None and full_name ==
                f"{self.development_catalog}.{self.feature_development_schema}")

    def is_governed(self, securable: str) -> bool:
        """Every catalog, and anything in one, except the development catalog."""
        return securable.split(".")[0] != self.development_catalog


def environment_tags(environment: str, platform_admins: str, data_scientists: str,
                     development_catalog: str | None, feature_schema: str) -> dict[str, str]:
    """The workspace tags from which `read_environment` knows the stack's environment."""
    tags = {ENVIRONMENT_TAG: environment, PLATFORM_ADMINS_TAG: platform_admins,
            DATA_SCIENTISTS_TAG: data_scientists}
    if development_catalog:
        tags.update({DEVELOPMENT_CATALOG_TAG: development_catalog,
                     FEATURE_SCHEMA_TAG: feature_schema})
    return tags


def _environment_of_stack(stack: str) -> str | None:
    for environment in ("prod", "uat"):
        if stack == environment or stack.startswith(f"{environment}-"):
            return environment
    return None


def read_environment(resources: Iterable[Resource]) -> PolicyEnvironment:
    """The environment from the workspace's tags, else from the stack name (uat*, prod*)."""
    resources = list(resources)
    workspaces = [r for r in resources if r.type == AZURE_WORKSPACE]
    tags: dict[str, str] = {}
    workspace_ids: set[str] = set()
    unknown_workspace = False
    for workspace in workspaces:
        with suppress(NotYetKnown, UnknownValueError):
            tags.update(workspace.get("tags", default={}))
        try:
            workspace_id = workspace.get("workspaceId")
        except NotYetKnown:
            unknown_workspace = True
            continue
        if workspace_id:
            workspace_ids.add(str(workspace_id))
        else:
            unknown_workspace = True
    service_principals: set[str] = set()
    for principal in (r for r in resources if r.type == SERVICE_PRINCIPAL):
        try:
            application_id = principal.get("applicationId")
        except NotYetKnown:
            continue
        if application_id:
            service_principals.add(application_id)
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

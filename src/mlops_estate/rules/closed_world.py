"""The closed world: only reviewed resource types, only the stack's own providers and workspace."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.azure import AZURE_DATABRICKS_ACCOUNTS_HOST, same_id
from ..vocabulary.resource_types import (
    AZURE_NATIVE_PROVIDER,
    AZURE_WORKSPACE,
    ESTATE_COMPONENTS,
    PROVIDERS,
    STACK,
    WORKLOADS,
    package_of,
)
from .context import StackContext, holds
from .registry import reviewed_types, rule
from .resource import Resource
from .trust import Trust

MANAGED_PACKAGES = frozenset({"azure-native", "databricks"})
FROM_ENVIRONMENT = "unset (taken from the environment of whoever runs Pulumi)"


@rule(
    "unreviewed-resource-type",
    "mandatory",
    "Every resource is of a type some rule reviews, or of a type the stack config allows with "
    "a reason (allowed_resource_types); the estate's own components and providers are known.",
    "use a type the rules review, or allow it in allowed_resource_types with the reason it is safe",
    None,
)
def unreviewed_resource_type(resource: Resource, trust: Trust) -> Iterator[str]:
    # The estate's components hold no cloud state. A custom resource with a component's type
    # would need a provider plugin named after the estate: the offline plan sees that it is
    # custom; the engine registers that plugin's default provider, an unreviewed type.
    known = (
        resource.type in reviewed_types()
        or resource.type == STACK
        or (resource.type.startswith(ESTATE_COMPONENTS) and resource.custom is not True)
    )
    if not known and resource.type not in trust.allowed_types:
        yield (
            f"{resource.type} is a type no rule reviews, so it could grant or widen access "
            "unseen: use a reviewed type, or allow it in allowed_resource_types with a reason"
        )


def _points_at(provider: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if provider.type == AZURE_NATIVE_PROVIDER:
        for key, expected in (
            ("subscriptionId", trust.subscription_id),
            ("tenantId", trust.tenant_id),
        ):
            value = provider.get(key) or FROM_ENVIRONMENT
            if value != expected:
                yield f"the azure-native provider's {key} is {value}, not the stack's {expected}"
        return
    host = provider.known("host")
    if host == AZURE_DATABRICKS_ACCOUNTS_HOST:
        if provider.get("accountId") != trust.account_id:
            yield (
                f"the Databricks account provider's accountId is "
                f"{provider.get('accountId') or 'unset'}, not the stack's {trust.account_id}"
            )
        return
    yield from _targets_own_workspace(provider, stack)


def _targets_own_workspace(provider: Resource, stack: StackContext) -> Iterator[str]:
    """A workspace provider's resource id and host are the configured workspace's, or come
    from it while unknown."""
    trust, own = stack.trust, stack.own_workspace
    expected_id = (
        f"/subscriptions/{trust.subscription_id}/resourceGroups/"
        f"{trust.resource_group}/providers/Microsoft.Databricks/workspaces/"
        f"{trust.workspace_name}"
    )
    resource_id = provider.known("azureWorkspaceResourceId")
    if not (
        holds(provider, "azureWorkspaceResourceId", own, "id") or same_id(resource_id, expected_id)
    ):
        yield (
            f"the Databricks provider's azure_workspace_resource_id is "
            f"{resource_id or 'unset'}, not the configured workspace {expected_id}"
        )
    host = provider.known("host")
    own_url = own.known("workspaceUrl") if own is not None else None
    if host is None and holds(provider, "host", own, "workspaceUrl"):
        return
    if not host or host.rstrip("/") != f"https://{own_url}":
        yield (
            f"the Databricks provider's host is {host or FROM_ENVIRONMENT}, not the stack's "
            f"own workspace ({own_url or trust.workspace_name})"
        )


@rule(
    "providers-target-own-estate",
    "mandatory",
    "Every Azure and Databricks resource is managed through an explicit provider of the stack, "
    "and every provider targets the stack's own subscription and tenant, its Databricks "
    "account, or its own workspace.",
    "create resources with the estate's providers; point providers only at the configured "
    "subscription, account and workspace",
    None,
    scope="stack",
)
def providers_target_own_estate(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.sets("providerConfig"):
        # `provider_config.workspace_id` sends one resource to another workspace through an
        # account provider (terraform-provider-databricks WorkspaceClientForWorkspace): the
        # estate never uses it.
        yield "sets provider_config, which routes it to a workspace of its choosing: remove it"
    if resource.type in PROVIDERS:
        if resource.sets("workspaceId"):
            yield "the provider sets workspace_id, which routes its resources to that workspace"
        if resource.name.startswith("default"):
            yield (
                "a default provider takes its target from the environment of whoever runs "
                "Pulumi: pass the stack's explicit provider instead"
            )
            return
        yield from _points_at(resource, stack)
        return
    if package_of(resource.type) not in MANAGED_PACKAGES:
        return
    provider = stack.resource(resource.provider) if resource.provider else None
    if provider is None or provider.name.startswith("default"):
        yield (
            "managed by a default provider, whose target comes from the environment of "
            "whoever runs Pulumi: pass the stack's explicit provider"
        )


@rule(
    "one-databricks-workspace",
    "mandatory",
    "A stack has exactly one Azure Databricks workspace, the one its config names: the rules "
    "call it the stack's own workspace.",
    "declare only the configured workspace (azure.workspace); another environment's workspace "
    "belongs to that environment's stack",
    [AZURE_WORKSPACE],
    scope="stack",
)
def one_databricks_workspace(resource: Resource, stack: StackContext) -> Iterator[str]:
    if stack.own_workspace is None:
        yield (
            f"no workspace, or more than one, is named {stack.trust.workspace_name!r} as the "
            "config says: declare the configured workspace once"
        )
    elif resource.urn != stack.own_workspace.urn:
        yield (
            f"a second Azure Databricks workspace ({resource.get('workspaceName')!r}) in the "
            f"stack whose workspace is {stack.trust.workspace_name!r}: remove it"
        )


@rule(
    "estate-deploys-no-workloads",
    "mandatory",
    "The estate stack deploys no code: notebooks, files, repos, jobs and pipelines reach the "
    "workspace through CI/CD's bundles, whose code is reviewed as code. In the estate stack "
    "they would run as the deployer, which owns and manages what the estate declares.",
    "deploy the workload with a bundle (estate bundle) from the project's repository",
    WORKLOADS,
)
def estate_deploys_no_workloads(resource: Resource, _: Trust) -> Iterator[str]:
    yield (
        "deploys a workload from the estate stack, whose identity manages the estate: deploy "
        "it with a bundle"
    )

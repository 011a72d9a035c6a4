"""Workspace rules: locked folders, jobs as service principals, entitlements, tokens, registry."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.resource_types import (
    DIRECTORY,
    ENTITLEMENTS,
    GROUP,
    JOB,
    NOTEBOOK,
    PERMISSIONS,
    PIPELINE,
    USER,
    WORKSPACE_FILE,
)
from ..vocabulary.workspace import (
    CAN_READ,
    CAN_USE,
    HUMAN_FOLDER_LEVELS,
    HUMAN_WRITABLE_ROOTS,
    under_human_writable_root,
)
from .readers import FOLDER_KEYS, PATH_KEYS, access_controls, is_human_control
from .registry import rule
from .resource import Resource
from .trust import Trust


@rule(
    "deployment-folder-locked",
    "mandatory",
    "On a deployment or PR-validation folder, only service principals hold CAN_EDIT or "
    "CAN_MANAGE; humans hold at most CAN_READ or CAN_RUN.",
    "give humans at most CAN_READ or CAN_RUN on locked folders; only CI/CD writes there",
    [PERMISSIONS],
    live=True,
)
def deployment_folder_locked(resource: Resource, _: Trust) -> Iterator[str]:
    if not any(resource.get(key) for key in FOLDER_KEYS):
        return
    for kind, principal, level in access_controls(resource):
        if is_human_control(kind) and level not in HUMAN_FOLDER_LEVELS:
            yield (
                f"{principal!r} holds {level} on a locked folder: humans may hold only "
                f"{' or '.join(sorted(HUMAN_FOLDER_LEVELS))}; only CI/CD writes here"
            )


@rule(
    "no-deployments-under-shared-or-users",
    "mandatory",
    "No estate-managed directory, notebook or folder permission lies under /Shared or /Users.",
    "deploy into a locked folder such as /Deployments/<project>",
    [DIRECTORY, NOTEBOOK, WORKSPACE_FILE, PERMISSIONS],
)
def no_deployments_under_shared_or_users(resource: Resource, _: Trust) -> Iterator[str]:
    for key in PATH_KEYS:
        path = resource.get(key)
        if path and under_human_writable_root(path):
            yield (
                f"{key} {path!r} lies under {' or '.join(HUMAN_WRITABLE_ROOTS)}, where humans "
                "can write: use a locked folder such as /Deployments/<project>"
            )


@rule(
    "jobs-run-as-service-principal",
    "mandatory",
    "Every Job or pipeline the estate declares runs as a service principal.",
    "set run_as.service_principal_name to the deployer's application id",
    [JOB, PIPELINE],
)
def jobs_run_as_service_principal(resource: Resource, _: Trust) -> Iterator[str]:
    principal = resource.get("runAs", "servicePrincipalName")
    if not principal:
        user = resource.get("runAs", "userName") or resource.get("runAsUserName")
        who = f"the user {user!r}" if user else "its creator"
        yield (f"runs as {who}: set run_as.service_principal_name to the deployer's application id")


@rule(
    "prod-humans-no-cluster-create",
    "mandatory",
    "In Prod, no human group or user is entitled to create clusters or instance pools.",
    "set allow_cluster_create and allow_instance_pool_create to false for humans in Prod",
    [ENTITLEMENTS, GROUP, USER],
    live=True,
)
def prod_humans_no_cluster_create(resource: Resource, trust: Trust) -> Iterator[str]:
    if not trust.is_prod or resource.get("servicePrincipalId"):
        return
    for entitlement in ("allowClusterCreate", "allowInstancePoolCreate"):
        if resource.get(entitlement) is True:
            yield f"{entitlement} is true for humans in Prod: set it to false"


@rule(
    "tokens-for-service-principals-only",
    "advisory",
    "The workspace token permissions grant CAN_USE only to service principals.",
    f"grant {CAN_USE} on tokens only to service principals",
    [PERMISSIONS],
    live=True,
)
def tokens_for_service_principals_only(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.get("authorization") != "tokens":
        return
    for kind, principal, level in access_controls(resource):
        if is_human_control(kind):
            yield (
                f"{principal!r} may use tokens ({level}): grant {CAN_USE} on tokens only to "
                "service principals"
            )


@rule(
    "prod-workspace-registry-read-only",
    "advisory",
    "In Prod, humans hold at most CAN_READ on the workspace model registry.",
    f"give humans {CAN_READ} on the Prod workspace model registry",
    [PERMISSIONS],
    live=True,
)
def prod_workspace_registry_read_only(resource: Resource, trust: Trust) -> Iterator[str]:
    if not trust.is_prod or not resource.get("registeredModelId"):
        return
    for kind, principal, level in access_controls(resource):
        if is_human_control(kind) and level != CAN_READ:
            yield f"{principal!r} holds {level} on the Prod model registry: give humans CAN_READ"

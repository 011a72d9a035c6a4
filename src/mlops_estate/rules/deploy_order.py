"""Deploy order: what must exist, and have taken effect, before a resource is created.

The offline plan accepts any order; Azure and Databricks do not. Each rule names one
prerequisite that a first real `pulumi up` needs, over the graph of dependencies (explicit
`depends_on`, the resources an input comes from, and the provider), so that a later change
cannot bring back a race. The evidence for each is cited where the estate builds it:
components/workspace/access.py, components/azure/catalog_storage.py, components/identity.py
and vocabulary/waits.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.azure import STORAGE_BLOB_DATA_CONTRIBUTOR, role_definition_guid, same_id
from ..vocabulary.resource_types import (
    ENTITLEMENTS,
    EXTERNAL_LOCATION,
    FEDERATED_IDENTITY_CREDENTIAL,
    METASTORE_ASSIGNMENT,
    MWS_PERMISSION_ASSIGNMENT,
    PERMISSIONS,
    ROLE_ASSIGNMENT,
    SLEEP,
    STORAGE_ACCOUNT,
    TIME_PROVIDER,
)
from ..vocabulary.unity_catalog import storage_account_of
from ..vocabulary.waits import (
    LONGEST_WAIT_SECONDS,
    PRINCIPALS_VISIBLE_SECONDS,
    ROLE_PROPAGATION_SECONDS,
    duration_seconds,
)
from .context import StackContext, holds
from .readers import access_controls
from .registry import rule
from .resource import Resource
from .trust import Trust


def _waits(resource: Resource, stack: StackContext, at_least: int) -> list[Resource]:
    """The sleeps of at least `at_least` seconds that `resource` waits for."""
    return [
        sleep
        for sleep in stack.of_type(SLEEP)
        if sleep.urn in stack.waits_for(resource.urn)
        and (duration_seconds(sleep.get("createDuration")) or 0) >= at_least
    ]


@rule(
    "workspace-assignment-after-metastore",
    "mandatory",
    "Every workspace assignment waits for the workspace's metastore assignment: until a "
    "workspace has a metastore, the permission assignment API refuses it.",
    "make each MwsPermissionAssignment depend on the workspace's MetastoreAssignment",
    [MWS_PERMISSION_ASSIGNMENT],
    scope="stack",
)
def workspace_assignment_after_metastore(resource: Resource, stack: StackContext) -> Iterator[str]:
    metastore_assignments = [
        assignment
        for assignment in stack.of_type(METASTORE_ASSIGNMENT)
        if holds(assignment, "workspaceId", stack.own_workspace, "workspaceId")
    ]
    if not any(a.urn in stack.waits_for(resource.urn) for a in metastore_assignments):
        yield (
            "does not wait for the workspace's metastore assignment: the API answers "
            '"Permission assignment APIs are not available for this workspace" until then'
        )


def _assignments_by_named_principal(
    resource: Resource, stack: StackContext
) -> list[list[Resource]]:
    """For each principal an Entitlements or Permissions names, its workspace assignments.

    A principal is matched by its id, or by the resource its id comes from; groups named in
    an access list are matched through the program's lookups, which a policy pack does not
    see: there each assignment counts as a principal of its own.
    """
    assignments = stack.of_type(MWS_PERMISSION_ASSIGNMENT)
    if resource.type == PERMISSIONS and not stack.lookups_seen:
        return [[a] for a in assignments]
    named: list[tuple[set[str], set[str]]] = []  # (ids, resources an id comes from)
    if resource.type == ENTITLEMENTS:
        for key in ("groupId", "servicePrincipalId", "userId"):
            value, sources = resource.known(key), resource.property_dependencies.get(key, ())
            if value or sources:
                named.append(({str(value)} if value else set(), set(sources)))
    else:
        deployer = stack.deployer_service_principal
        for kind, principal, _ in access_controls(resource):
            if kind == "groupName":
                ids = {gid for gid, name in stack.group_names.items() if name == principal}
                named.append((ids, set()))
            elif deployer is not None and principal == stack.deployer_application_id:
                named.append(({str(deployer.known("id"))}, {deployer.urn}))
    groups = [
        [
            a
            for a in assignments
            if str(a.known("principalId")) in ids
            or sources & set(a.property_dependencies.get("principalId", ()))
        ]
        for ids, sources in named
    ]
    return [group for group in groups if group]


@rule(
    "workspace-principals-visible",
    "mandatory",
    "Entitlements and access lists, which name principals inside the workspace, wait for a "
    f"delay of at least {PRINCIPALS_VISIBLE_SECONDS} s after a workspace assignment of each "
    "principal they name: assignments are eventually consistent.",
    "make the resource depend on a time.Sleep that depends on those MwsPermissionAssignments",
    [ENTITLEMENTS, PERMISSIONS],
    scope="stack",
)
def workspace_principals_visible(resource: Resource, stack: StackContext) -> Iterator[str]:
    principals = _assignments_by_named_principal(resource, stack)
    if not principals:
        return
    if not any(
        all(any(a.urn in stack.waits_for(sleep.urn) for a in group) for group in principals)
        for sleep in _waits(resource, stack, PRINCIPALS_VISIBLE_SECONDS)
    ):
        yield (
            f"does not wait {PRINCIPALS_VISIBLE_SECONDS} s after the workspace assignments of "
            "the principals it names: a principal assigned moments before may not be in the "
            "workspace yet"
        )


@rule(
    "external-location-after-storage-access",
    "mandatory",
    "An external location waits for the access connector's role on the storage to take "
    f"effect (a delay of at least {ROLE_PROPAGATION_SECONDS} s after the role assignment): Unity "
    "Catalog validates that access when it creates the location.",
    "make the external location depend on a time.Sleep that depends on the access connector's "
    "role assignment",
    [EXTERNAL_LOCATION],
    scope="stack",
)
def external_location_after_storage_access(
    resource: Resource, stack: StackContext
) -> Iterator[str]:
    account = _storage_account_of(resource, stack)
    connector_roles = [
        assignment
        for assignment in stack.of_type(ROLE_ASSIGNMENT)
        if holds(assignment, "principalId", stack.access_connector, "identity", "principalId")
        and role_definition_guid(str(assignment.known("roleDefinitionId") or ""))
        == STORAGE_BLOB_DATA_CONTRIBUTOR
        and holds(assignment, "scope", account, "id")
    ]
    if not any(
        role.urn in stack.waits_for(sleep.urn)
        for sleep in _waits(resource, stack, ROLE_PROPAGATION_SECONDS)
        for role in connector_roles
    ):
        yield (
            f"does not wait {ROLE_PROPAGATION_SECONDS} s after the access connector's role "
            "assignment: Azure role assignments take up to 10 minutes to take effect"
        )


def _storage_account_of(location: Resource, stack: StackContext) -> Resource | None:
    """The stack's storage account that an external location's abfss URL names."""
    name = storage_account_of(str(location.known("url") or ""))
    accounts = stack.of_type(STORAGE_ACCOUNT)
    return next((a for a in accounts if name and a.known("accountName") == name), None)


@rule(
    "federated-credentials-one-at-a-time",
    "mandatory",
    "Federated credentials on one managed identity are written one after another: Azure "
    "rejects concurrent writes on the same identity (409).",
    "make each federated credential depend on the previous one on the same identity",
    [FEDERATED_IDENTITY_CREDENTIAL],
    scope="stack",
)
def federated_credentials_one_at_a_time(resource: Resource, stack: StackContext) -> Iterator[str]:
    group, name = resource.get("resourceGroupName"), resource.get("resourceName")
    for other in stack.of_type(FEDERATED_IDENTITY_CREDENTIAL):
        # Names of Azure resources are case-insensitive: MyId and myid are one identity.
        same_identity = same_id(other.get("resourceGroupName"), group) and same_id(
            other.get("resourceName"), name
        )
        ordered = other.urn in stack.waits_for(resource.urn) or resource.urn in stack.waits_for(
            other.urn
        )
        if other.urn != resource.urn and same_identity and not ordered:
            yield (
                f"may be written at the same time as {other.name}, on the same identity: "
                "Azure answers 409 to concurrent federated credential writes"
            )


@rule(
    "deploy-waits-are-plain",
    "mandatory",
    f"Waits (time.Sleep) only delay creation, by at most {LONGEST_WAIT_SECONDS // 60} minutes, "
    "through the time package's provider, which holds no configuration; each is created (not "
    "adopted) and has triggers, so that what it waits for changing makes it wait again.",
    "give each time.Sleep a create_duration such as 60s and triggers from what it waits for",
    [SLEEP, TIME_PROVIDER],
)
def deploy_waits_are_plain(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.type == TIME_PROVIDER:
        extra = sorted(set(resource.props) - {"version"})
        if extra:
            yield f"the time provider is configured ({', '.join(extra)}): it needs nothing"
        return
    seconds = duration_seconds(resource.get("createDuration"))
    if seconds is None or not 0 < seconds <= LONGEST_WAIT_SECONDS:
        yield (
            f"create_duration is {resource.get('createDuration')!r}: a Go duration of at most "
            f"{LONGEST_WAIT_SECONDS // 60}m, such as 60s"
        )
    if resource.get("destroyDuration"):
        yield "destroy_duration delays every deletion: leave it out"
    if resource.imported:
        yield "is imported: an adopted sleep never waits; create it"
    if not resource.get("triggers"):
        # pulumiverse_time.Sleep: a change of create_duration alone "will not trigger a
        # delay"; triggers are what replace the sleep, and so wait again.
        yield (
            "has no triggers: a sleep created once never waits for what is added later; "
            "set triggers from what it waits for"
        )

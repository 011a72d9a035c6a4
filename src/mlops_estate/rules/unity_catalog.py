"""Unity Catalog rules: isolated catalogs and storage, bindings, owners and grants."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.resource_types import (
    CATALOG,
    CATALOG_WORKSPACE_BINDING,
    EXTERNAL_LOCATION,
    GRANT,
    GRANTS,
    METASTORE,
    METASTORE_ASSIGNMENT,
    METASTORE_DATA_ACCESS,
    OWNED_SECURABLES,
    RECIPIENT,
    SHARE,
    SQL_PERMISSIONS,
    STORAGE_CREDENTIAL,
    WORKSPACE_BINDING,
    short_name,
)
from ..vocabulary.unity_catalog import (
    ADMINISTRATIVE_PRIVILEGES,
    ALL_USERS_PRINCIPALS,
    CATALOG_ISOLATED,
    CATALOG_SECURABLE_TYPES,
    HUMAN_GOVERNED_PRIVILEGES,
    READ_ONLY,
    READ_WRITE,
    STORAGE_ISOLATED,
    invalid_privileges,
)
from .context import StackContext
from .readers import granted, is_service_principal, is_user, securable_of
from .registry import rule
from .resource import NotYetKnown, Resource
from .trust import Trust


@rule(
    "catalog-isolated",
    "mandatory",
    "Every Catalog has isolation_mode ISOLATED.",
    f'set isolation_mode="{CATALOG_ISOLATED}" so that only bound workspaces reach it',
    [CATALOG],
    live=True,
)
def catalog_isolated(resource: Resource, _: Trust) -> Iterator[str]:
    mode = resource.get("isolationMode")
    if mode != CATALOG_ISOLATED:
        yield (
            f"catalog isolation mode is {mode or 'unset (OPEN)'}: set isolation_mode="
            f'"{CATALOG_ISOLATED}" so only bound workspaces can reach it'
        )


@rule(
    "catalog-bound-to-own-workspace",
    "mandatory",
    "Every catalog of a stack has a READ_WRITE binding to that stack's workspace and no "
    "READ_WRITE binding to any other workspace.",
    "bind the catalog read-write to this stack's workspace with databricks.WorkspaceBinding, "
    "and remove read-write bindings to other workspaces",
    [CATALOG],
    scope="stack",
    live=True,
)
def catalog_bound_to_own_workspace(resource: Resource, stack: StackContext) -> Iterator[str]:
    name = resource.get("name")
    if not name:
        raise NotYetKnown("name")
    read_write = [
        (urn, b) for urn, b in stack.bindings_of("catalog", name) if b.binding_type == READ_WRITE
    ]
    if not any(stack.binds_own_workspace(urn) for urn, _ in read_write):
        yield (
            f"catalog {name!r} has no READ_WRITE binding to this stack's workspace: add a "
            "databricks.WorkspaceBinding with binding_type BINDING_TYPE_READ_WRITE"
        )
    for urn, binding in read_write:
        if not stack.binds_own_workspace(urn):
            yield (
                f"catalog {name!r} is bound READ_WRITE to workspace {binding.workspace_id}, "
                f"another environment's ({urn}): remove that binding"
            )


@rule(
    "cross-environment-read-only",
    "mandatory",
    "A binding of a catalog to another environment's workspace is READ_ONLY, and goes only "
    "from UAT into Prod; nothing of Prod is bound into UAT.",
    "bind across environments only UAT's catalog into Prod, with BINDING_TYPE_READ_ONLY",
    [WORKSPACE_BINDING],
    scope="stack",
    live=True,
)
def cross_environment_read_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    binding = stack.bindings[resource.urn]
    if binding.securable_type != "catalog":
        return
    own_catalog = binding.securable in stack.catalogs
    into_own_workspace = stack.binds_own_workspace(resource.urn)
    if own_catalog == into_own_workspace:
        return  # within this environment, or another environment's own business
    if binding.binding_type != READ_ONLY:
        yield (
            f"catalog {binding.securable!r} crosses environments with "
            f"{binding.binding_type}: use BINDING_TYPE_READ_ONLY"
        )
    if stack.trust.environment == "uat" and not own_catalog:
        yield (
            f"catalog {binding.securable!r} of another environment is bound into UAT: "
            "nothing of Prod is bound into UAT; remove this binding"
        )
    if stack.trust.is_prod and own_catalog:
        yield (
            f"Prod catalog {binding.securable!r} is bound to another workspace: promotion "
            "goes only from UAT into Prod; remove this binding"
        )


@rule(
    "development-catalog-uat-only",
    "mandatory",
    "The development catalog is declared only in the UAT stack and bound only to the UAT "
    "workspace.",
    "declare the development catalog only in the uat stack, bound only to its workspace",
    [CATALOG],
    scope="stack",
    live=True,
)
def development_catalog_uat_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    name = resource.get("name")
    trust = stack.trust
    if trust.environment != "uat":
        # Only UAT's config names a development catalog; elsewhere any catalog but the governed
        # one could be one.
        if name != trust.governed_catalog:
            yield (
                f"catalog {name!r} is not the {trust.environment} stack's governed catalog "
                f"({trust.governed_catalog!r}): a development catalog is declared only in the "
                "uat stack"
            )
        return
    if name != trust.development_catalog:
        return
    for urn, binding in stack.bindings_of("catalog", name):
        if not stack.binds_own_workspace(urn):
            yield (
                f"development catalog {name!r} is bound to workspace {binding.workspace_id}:"
                " bind it only to the UAT workspace"
            )


@rule(
    "owner-is-not-a-person",
    "mandatory",
    "Catalogs, schemas, registered models, storage credentials and external locations are "
    "owned by a group or a service principal, never by a user.",
    "set owner to a group or a service principal's application id",
    OWNED_SECURABLES,
    live=True,
)
def owner_is_not_a_person(resource: Resource, _: Trust) -> Iterator[str]:
    owner = resource.get("owner")
    if not owner:
        yield (
            "no owner is set, so the identity that runs `pulumi up` would own it: set owner "
            "to a group or a service principal's application id"
        )
    elif is_user(owner):
        yield f"owned by the user {owner!r}: set owner to a group or a service principal"
    elif owner in ALL_USERS_PRINCIPALS:
        yield f"owned by {owner!r}, which is everyone: set owner to a platform principal"


@rule(
    "owners-are-platform-principals",
    "mandatory",
    "Securables the estate declares are owned by a platform principal: the platform admins "
    "group or a (declared) service principal, since an owner may do and grant anything.",
    "set owner to the deployer's application id or the platform admins group",
    OWNED_SECURABLES,
)
def owners_are_platform_principals(resource: Resource, trust: Trust) -> Iterator[str]:
    owner = resource.get("owner")
    if not owner or is_user(owner) or owner in ALL_USERS_PRINCIPALS:
        return  # owner-is-not-a-person says what to change
    if owner != trust.platform_admins and not is_service_principal(owner):
        yield (
            f"owned by {owner!r}, not a platform principal: an owner may grant anything on "
            "it; set owner to the deployer or the platform admins group"
        )


@rule(
    "governed-read-execute-only",
    "mandatory",
    "On governed securables, humans hold only BROWSE, USE_CATALOG, USE_SCHEMA, SELECT, "
    "EXECUTE, READ_VOLUME.",
    "grant humans only read and execute privileges on governed securables; CI/CD writes",
    [GRANTS, GRANT],
    live=True,
)
def governed_read_execute_only(resource: Resource, trust: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if (
        securable is None
        or securable[0] not in CATALOG_SECURABLE_TYPES
        or not trust.is_governed(securable[1])
    ):
        return
    for principal, privileges in granted(resource):
        if is_service_principal(principal):
            continue
        extra = sorted(set(privileges) - HUMAN_GOVERNED_PRIVILEGES)
        if extra:
            yield (
                f"{principal!r} holds {', '.join(extra)} on governed {securable[0]} "
                f"{securable[1]!r}: humans may hold only "
                f"{', '.join(sorted(HUMAN_GOVERNED_PRIVILEGES))}"
            )


@rule(
    "privileges-apply-to-securable",
    "mandatory",
    "Every granted privilege is one Unity Catalog accepts on the securable it is granted on "
    "(BROWSE on catalogs only, for example): any other fails the grant.",
    "grant only the privileges the securable type takes (docs: Unity Catalog privileges reference)",
    [GRANTS, GRANT],
)
def privileges_apply_to_securable(resource: Resource, _: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if securable is None:
        return
    for principal, privileges in granted(resource):
        wrong = invalid_privileges(securable[0], privileges)
        if wrong:
            yield (
                f"grants {principal!r} {', '.join(wrong)}, which a {securable[0]} does not "
                f"take ({securable[0]} {securable[1]!r})"
            )


@rule(
    "manage-only-platform",
    "mandatory",
    "MANAGE and ALL_PRIVILEGES go only to platform principals, except on the development "
    "catalog's feature-development schema.",
    "grant MANAGE and ALL_PRIVILEGES only to the deployer or the platform admins group",
    [GRANTS, GRANT],
    live=True,
)
def manage_only_platform(resource: Resource, trust: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if securable is None:
        return
    for principal, privileges in granted(resource):
        administrative = sorted(set(privileges) & ADMINISTRATIVE_PRIVILEGES)
        if not administrative or principal == trust.platform_admins:
            continue
        if is_service_principal(principal):
            continue
        if trust.is_development_schema(securable[1]) and principal == trust.data_scientists:
            continue
        yield (
            f"{principal!r} holds {', '.join(administrative)} on {securable[0]} "
            f"{securable[1]!r}: only the deployer and the platform admins may"
        )


@rule(
    "authoritative-grants-only",
    "mandatory",
    "Governed securables get their grants from databricks.Grants; databricks.Grant and "
    "SqlPermissions are not used on them.",
    "manage each governed securable's grants with one authoritative databricks.Grants",
    [GRANT, SQL_PERMISSIONS],
)
def authoritative_grants_only(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.type == SQL_PERMISSIONS:
        yield "SqlPermissions bypass Unity Catalog: use databricks.Grants"
        return
    securable = securable_of(resource)
    if securable and trust.is_governed(securable[1]):
        yield (
            f"databricks.Grant on governed {securable[0]} {securable[1]!r} leaves grants "
            "made by hand in place: use one authoritative databricks.Grants per securable"
        )


@rule(
    "no-deprecated-binding-resource",
    "mandatory",
    "CatalogWorkspaceBinding is not used; WorkspaceBinding is.",
    "replace databricks.CatalogWorkspaceBinding with databricks.WorkspaceBinding",
    [CATALOG_WORKSPACE_BINDING],
)
def no_deprecated_binding_resource(resource: Resource, _: Trust) -> Iterator[str]:
    yield "databricks.CatalogWorkspaceBinding is deprecated: use databricks.WorkspaceBinding"


@rule(
    "storage-isolated",
    "mandatory",
    "Storage credentials and external locations are ISOLATION_MODE_ISOLATED and bound only "
    "to their environment's workspace.",
    f'set isolation_mode="{STORAGE_ISOLATED}" and bind it only to this stack\'s workspace',
    [STORAGE_CREDENTIAL, EXTERNAL_LOCATION],
    scope="stack",
    live=True,
)
def storage_isolated(resource: Resource, stack: StackContext) -> Iterator[str]:
    mode = resource.get("isolationMode")
    if mode != STORAGE_ISOLATED:
        yield (
            f'isolation mode is {mode or "unset (OPEN)"}: set isolation_mode="{STORAGE_ISOLATED}"'
        )
    name = resource.get("name")
    if not name:
        raise NotYetKnown("name")
    securable_type = (
        "storage_credential" if resource.type == STORAGE_CREDENTIAL else "external_location"
    )
    bindings = stack.bindings_of(securable_type, name)
    if not any(stack.binds_own_workspace(urn) for urn, _ in bindings):
        yield (
            f"{securable_type} {name!r} is not bound to this stack's workspace: add a "
            f'databricks.WorkspaceBinding with securable_type "{securable_type}"'
        )
    for urn, binding in bindings:
        if not stack.binds_own_workspace(urn):
            yield (
                f"{securable_type} {name!r} is bound to workspace {binding.workspace_id}: "
                "remove that binding"
            )


@rule(
    "metastore-securables-platform-only",
    "mandatory",
    "Only platform principals hold privileges on what lies outside catalogs: the metastore, "
    "storage credentials, external locations, credentials, connections, shares, recipients. "
    "READ_FILES on the catalog storage or CREATE_CATALOG on the metastore would bypass the "
    "catalogs' isolation.",
    "grant these securables only to the deployer or the platform admins group",
    [GRANTS, GRANT],
)
def metastore_securables_platform_only(resource: Resource, trust: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if securable is None or securable[0] in CATALOG_SECURABLE_TYPES:
        return
    for principal, privileges in granted(resource):
        if (
            privileges
            and principal != trust.platform_admins
            and not is_service_principal(principal)
        ):
            yield (
                f"{principal!r} holds {', '.join(sorted(privileges))} on {securable[0]} "
                f"{securable[1]!r}: only platform principals hold privileges outside catalogs"
            )


@rule(
    "no-delta-sharing-of-governed-data",
    "mandatory",
    "No share holds governed data, and no recipient uses token (open) sharing.",
    "share only from the development catalog, to Databricks-to-Databricks recipients",
    [SHARE, RECIPIENT],
)
def no_delta_sharing_of_governed_data(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.type == RECIPIENT:
        if resource.get("authenticationType") == "TOKEN":
            yield (
                "a TOKEN recipient receives data through a bearer token anyone may hold: use "
                "Databricks-to-Databricks sharing"
            )
        return
    for index in range(len(resource.items("objects"))):
        name = str(resource.get("objects", index, "name", default=""))
        if trust.is_governed(name):
            yield f"shares {name!r} of a governed catalog: governed data is not shared"


@rule(
    "metastore-assignment-own",
    "mandatory",
    "The stack assigns only the configured metastore, only to its own workspace, and creates "
    "no metastore and no metastore-wide data access.",
    "assign databricks.metastore_id of the config to the stack's own workspace",
    [METASTORE_ASSIGNMENT, METASTORE, METASTORE_DATA_ACCESS],
    scope="stack",
)
def metastore_assignment_own(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.type != METASTORE_ASSIGNMENT:
        yield (
            f"{short_name(resource.type)} changes the metastore itself: the estate uses the "
            "existing metastore of the config"
        )
        return
    if resource.get("metastoreId") != stack.trust.metastore_id:
        yield (
            f"assigns the metastore {resource.get('metastoreId')!r}, not the configured "
            f"{stack.trust.metastore_id!r}"
        )
    own = stack.own_workspace
    if not stack.comes_from(resource, "workspaceId", own):
        own_id = own.known("workspaceId") if own is not None else None
        if not own_id or str(resource.get("workspaceId")) != str(own_id):
            yield (
                f"assigns the metastore to workspace {resource.get('workspaceId')!r}, not the "
                "stack's own"
            )

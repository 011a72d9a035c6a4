"""Unity Catalog rules: isolated catalogs and storage, bindings, owners and grants."""

from __future__ import annotations

from collections.abc import Iterator
from typing import get_args

from ..config.values import Environment
from ..vocabulary.azure import same_id
from ..vocabulary.resource_types import (
    CATALOG,
    CATALOG_WORKSPACE_BINDING,
    CREDENTIAL,
    EXTERNAL_LOCATION,
    GRANT,
    GRANTS,
    METASTORE,
    METASTORE_ASSIGNMENT,
    METASTORE_DATA_ACCESS,
    OWNED_SECURABLES,
    RECIPIENT,
    REGISTERED_MODEL,
    SCHEMA,
    SHARE,
    SQL_PERMISSIONS,
    SQL_TABLE,
    STORAGE_CREDENTIAL,
    VOLUME,
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
    SECURABLE_KEYS,
    STORAGE_ISOLATED,
    STORAGE_SECURABLE_TYPES,
    catalog_storage_names,
    invalid_privileges,
    normalize_privileges,
    normalized_name,
    storage_account_of,
)
from .context import StackContext, holds
from .readers import granted, is_service_principal, is_user, securable_of
from .registry import rule
from .resource import NotYetKnown, Resource
from .trust import Trust

ENVIRONMENTS: tuple[str, ...] = get_args(Environment)

# The resource type that declares each kind of storage securable a workspace binding names.
STORAGE_SECURABLE_RESOURCES = {
    "storage_credential": STORAGE_CREDENTIAL,
    "external_location": EXTERNAL_LOCATION,
    "credential": CREDENTIAL,
}
SECURABLE_TYPE_OF_RESOURCE = {typ: kind for kind, typ in STORAGE_SECURABLE_RESOURCES.items()}


def privileges_granted(resource: Resource) -> list[tuple[str, list[str]]]:
    """(principal, privileges) of a Grants or a Grant, each privilege as Unity Catalog stores
    it: every comparison of privileges in these rules reads them from here."""
    return [(principal, normalize_privileges(p)) for principal, p in granted(resource)]


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
    "from UAT into Prod, of the promotion source the config names; nothing of Prod is bound "
    "into UAT.",
    "bind across environments only the promotion source (promotion.source_catalog) into "
    "Prod, with BINDING_TYPE_READ_ONLY",
    [WORKSPACE_BINDING],
    scope="stack",
    live=True,
)
def cross_environment_read_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    binding = stack.bindings[resource.urn]
    if binding.securable_type != "catalog":
        return
    # Only the catalogs the config names are the stack's own: a catalog the program registers
    # under another name (another environment's, imported, say) is not. Whatever the case of
    # the name, a binding into this stack's workspace must name its own catalog exactly, and a
    # binding elsewhere of a name that differs from its own only in case is taken as its own.
    own = stack.trust.own_catalogs
    into_own_workspace = stack.binds_own_workspace(resource.urn)
    own_catalog = (
        binding.securable in own
        if into_own_workspace
        else binding.securable.lower() in {c.lower() for c in own}
    )
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
    # Unity Catalog compares names without regard to case.
    if (
        stack.trust.is_prod
        and not own_catalog
        and binding.securable.lower() != stack.trust.promotion_source.lower()
    ):
        yield (
            f"catalog {binding.securable!r} of another environment is bound into Prod: only "
            f"the promotion source {stack.trust.promotion_source!r} is; remove this binding"
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
        # and the evidence catalogs could be one.
        if name not in (trust.governed_catalog, trust.evidence_catalog):
            yield (
                f"catalog {name!r} is not the {trust.environment} stack's governed catalog "
                f"({trust.governed_catalog!r}) or evidence catalog "
                f"({trust.evidence_catalog!r}): a development catalog is declared only in the "
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


# What the evidence readers hold on the evidence catalog and its schema, and all anyone holds
# there: a view's reader needs "SELECT on the view itself, USE CATALOG on its parent catalog,
# and USE SCHEMA on its parent schema" (https://learn.microsoft.com/azure/databricks/views/
# create-views).
EVIDENCE_READ_PRIVILEGES = frozenset({"USE_CATALOG", "USE_SCHEMA", "SELECT"})
# What lies in a catalog and names it, with its owner: a schema names its catalog
# (`catalog_name`); a volume, a table or view and a registered model name their catalog and
# schema (`catalog_name`, `schema_name`: pulumi_databricks/schema.py, volume.py, sql_table.py,
# registered_model.py).
IN_CATALOG_SECURABLES = (SCHEMA, VOLUME, SQL_TABLE, REGISTERED_MODEL)


@rule(
    "evidence-catalog-readers-only",
    "mandatory",
    "Nobody but the evidence readers (auditors and platform admins) holds a privilege on the "
    "evidence catalog or anything in it, and they hold only USE_CATALOG, USE_SCHEMA and SELECT; "
    "the platform runner owns all of it; it holds no schema but the evidence schema, and no "
    "table, view, volume or model outside it; and it is bound to the stack's own workspace "
    "only. Privileges on a catalog inherit to everything in it and Unity Catalog has no deny, "
    "so the deployer, whose actions the evidence records, must hold nothing there; and a "
    "look-alike schema could show the readers the evidence with events left out.",
    "grant on the evidence catalog only USE_CATALOG, and on its schema only USE_SCHEMA and "
    "SELECT, to the auditors and the platform admins; set owner to the platform runner; create "
    "nothing in the evidence catalog but the evidence schema and its views; bind it only to "
    "this stack's workspace",
    [GRANTS, GRANT, WORKSPACE_BINDING, CATALOG, *IN_CATALOG_SECURABLES],
    scope="stack",
    live=True,
)
def evidence_catalog_readers_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if resource.type == WORKSPACE_BINDING:
        binding = stack.bindings[resource.urn]
        if (
            binding.securable_type == "catalog"
            and trust.is_in_evidence_catalog(binding.securable)
            and not stack.binds_own_workspace(resource.urn)
        ):
            yield (
                f"binds the evidence catalog {binding.securable!r} to workspace "
                f"{binding.workspace_id}: it is bound to this stack's workspace only"
            )
        return
    if resource.type in (GRANTS, GRANT):
        yield from _evidence_grants(resource, trust)
        return
    catalog = resource.get("name" if resource.type == CATALOG else "catalogName")
    if not catalog or not trust.is_in_evidence_catalog(str(catalog)):
        return
    owner = resource.get("owner")
    # No owner is the identity that runs `pulumi up`: owner-is-not-a-person reports it.
    if owner and owner != trust.runner_application_id:
        yield (
            f"owned by {owner!r} in the evidence catalog {trust.evidence_catalog!r}: an owner "
            "may do and grant anything there; set owner to the platform runner"
        )
    if resource.type != CATALOG:
        yield from _outside_evidence_schema(resource, trust)


def _outside_evidence_schema(resource: Resource, trust: Trust) -> Iterator[str]:
    """What lies in the evidence catalog but is not the evidence schema or in it: the runner
    could build a look-alike there, whose views read the evidence with events left out."""
    schema_key = "name" if resource.type == SCHEMA else "schemaName"
    schema = normalized_name(f"{resource.get('catalogName')}.{resource.get(schema_key)}")
    if schema == trust.evidence_schema:
        return
    if resource.type == SCHEMA:
        yield (
            f"schema {schema!r} in the evidence catalog {trust.evidence_catalog!r}: it holds "
            f"only the evidence schema {trust.evidence_schema!r}"
        )
        return
    name = normalized_name(str(resource.get("name")))
    yield (
        f"{short_name(resource.type)} {schema}.{name} is in the evidence catalog "
        f"{trust.evidence_catalog!r} outside the evidence schema {trust.evidence_schema!r}: it "
        "holds nothing else"
    )


def _evidence_grants(resource: Resource, trust: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if (
        securable is None
        or securable[0] not in CATALOG_SECURABLE_TYPES
        or not trust.is_in_evidence_catalog(securable[1])
    ):
        return
    for principal, privileges in privileges_granted(resource):
        if not privileges or principal == trust.runner_application_id:
            continue
        if principal not in trust.evidence_readers:
            yield (
                f"{principal!r} holds {', '.join(sorted(privileges))} on {securable[0]} "
                f"{securable[1]!r}: only the auditors and the platform admins read the evidence "
                "catalog, and nobody else holds anything in it"
            )
            continue
        extra = sorted(set(privileges) - EVIDENCE_READ_PRIVILEGES)
        if extra:
            yield (
                f"{principal!r} holds {', '.join(extra)} on {securable[0]} {securable[1]!r}: "
                "the evidence readers hold only "
                f"{', '.join(sorted(EVIDENCE_READ_PRIVILEGES))} in the evidence catalog"
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
    for principal, privileges in privileges_granted(resource):
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
    for principal, privileges in privileges_granted(resource):
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
    "catalog's feature-development schema and what it holds.",
    "grant MANAGE and ALL_PRIVILEGES only to the deployer or the platform admins group",
    [GRANTS, GRANT],
    live=True,
)
def manage_only_platform(resource: Resource, trust: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if securable is None:
        return
    for principal, privileges in privileges_granted(resource):
        administrative = sorted(set(privileges) & ADMINISTRATIVE_PRIVILEGES)
        if not administrative or principal == trust.platform_admins:
            continue
        if is_service_principal(principal):
            continue
        # Data scientists hold MANAGE and ALL_PRIVILEGES on the feature-development schema by
        # design, and privileges on a schema "are inherited by all current and future objects
        # within that schema" (learn.microsoft.com/azure/databricks/data-governance/
        # unity-catalog/manage-privileges, "Privilege inheritance"): the same on a table or a
        # volume in it gives them nothing more.
        if trust.is_in_development_schema(securable[1]) and principal == trust.data_scientists:
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


def grants_on(stack: StackContext, securable: tuple[str, str]) -> list[Resource]:
    """The stack's databricks.Grants on one securable, named as securable_of names it."""
    return [grants for grants in stack.of_type(GRANTS) if securable_of(grants) == securable]


@rule(
    "one-grants-per-securable",
    "mandatory",
    "Each securable has one databricks.Grants at most: Grants is authoritative, so a second on "
    "the same securable replaces the first's grants whenever it is applied, and those the "
    "first lists (the auditors on the evidence, the deployer on a catalog) lose them.",
    "declare every grant on a securable in its one databricks.Grants",
    [GRANTS],
    scope="stack",
)
def one_grants_per_securable(resource: Resource, stack: StackContext) -> Iterator[str]:
    # "Configuring this resource for a securable will **OVERWRITE** any existing grants"
    # (terraform-provider-databricks docs/resources/grants.md; pulumi_databricks/grants.py).
    securable = securable_of(resource)
    if securable is None:
        return
    for other in grants_on(stack, securable):
        if other.urn != resource.urn:
            yield (
                f"{other.urn} declares the grants on {securable[0]} {securable[1]!r} too: "
                "whichever is applied last overwrites the other's; declare one "
                "databricks.Grants per securable"
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


# What a WorkspaceBinding takes, case-sensitively: `securable_type` defaults to "catalog" and
# is validated with StringInSlice(["catalog", "external_location", "storage_credential",
# "credential"], false), `binding_type` defaults to BINDING_TYPE_READ_WRITE and is one of the
# two binding types (terraform-provider-databricks catalog/resource_workspace_binding.go).
BINDING_SECURABLE_TYPES = frozenset({"catalog", *STORAGE_SECURABLE_TYPES})
BINDING_TYPES = (READ_WRITE, READ_ONLY)


@rule(
    "workspace-bindings-well-formed",
    "mandatory",
    "Every workspace binding names its securable type and binding type as the provider takes "
    "them, in their case: the binding rules read only those, so a binding spelled otherwise "
    "(a securable type of CATALOG, say) would pass them unread.",
    'set securable_type to "catalog", "external_location", "storage_credential" or '
    f'"credential", and binding_type to {READ_WRITE} or {READ_ONLY}',
    [WORKSPACE_BINDING],
)
def workspace_bindings_well_formed(resource: Resource, _: Trust) -> Iterator[str]:
    securable_type = resource.get("securableType", default="catalog")
    if securable_type not in BINDING_SECURABLE_TYPES:
        yield (
            f"securable_type {securable_type!r} is not one the provider takes: "
            f"{', '.join(sorted(BINDING_SECURABLE_TYPES))}, in lowercase"
        )
    binding_type = resource.get("bindingType", default=READ_WRITE)
    if binding_type not in BINDING_TYPES:
        yield (
            f"binding_type {binding_type!r} is not one the provider takes: "
            f"{' or '.join(BINDING_TYPES)}"
        )


@rule(
    "storage-isolated",
    "mandatory",
    "Storage credentials, service credentials and external locations are "
    "ISOLATION_MODE_ISOLATED and bound only to their environment's workspace; a stack binds "
    "no other environment's.",
    f'set isolation_mode="{STORAGE_ISOLATED}" and bind it only to this stack\'s workspace',
    [STORAGE_CREDENTIAL, EXTERNAL_LOCATION, CREDENTIAL, WORKSPACE_BINDING],
    scope="stack",
    live=True,
)
def storage_isolated(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.type == WORKSPACE_BINDING:
        yield from _storage_binding_is_own(resource, stack)
        return
    # Credential: "Can be `ISOLATION_MODE_ISOLATED` or `ISOLATION_MODE_OPEN`", as for storage
    # credentials (pulumi_databricks/credential.py, storage_credential.py); left out, it is open.
    mode = resource.get("isolationMode")
    if mode != STORAGE_ISOLATED:
        yield (
            f'isolation mode is {mode or "unset (OPEN)"}: set isolation_mode="{STORAGE_ISOLATED}"'
        )
    name = resource.get("name")
    if not name:
        raise NotYetKnown("name")
    securable_type = SECURABLE_TYPE_OF_RESOURCE[resource.type]
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


# Where each resource names the cloud storage it lies in (as the engine sees it, and as Python
# spells it): an ExternalLocation's `url`; an EXTERNAL Volume's or table's `storage_location`; a
# Catalog's or a Schema's `storage_root`, its managed location (pulumi_databricks/
# external_location.py, volume.py, sql_table.py, catalog.py, schema.py).
STORAGE_URL_KEYS = {
    EXTERNAL_LOCATION: ("url", "url"),
    VOLUME: ("storageLocation", "storage_location"),
    SQL_TABLE: ("storageLocation", "storage_location"),
    CATALOG: ("storageRoot", "storage_root"),
    SCHEMA: ("storageRoot", "storage_root"),
}


def own_storage_securables(stack: StackContext, securable_type: str) -> frozenset[str]:
    """The storage securables of one type that are this stack's own: its environment's catalog
    storage, and those the program declares, unless named as another environment's in any
    case (a credential registered under Prod's name, imported, say, is still Prod's)."""
    environment = stack.trust.environment
    others = {
        name.lower()
        for other in ENVIRONMENTS
        if other != environment
        for kind, name in catalog_storage_names(other).securables
        if kind == securable_type
    }
    estate = {
        name
        for kind, name in catalog_storage_names(environment).securables
        if kind == securable_type
    }
    declared = {
        str(name)
        for name in (
            r.known("name") for r in stack.of_type(STORAGE_SECURABLE_RESOURCES[securable_type])
        )
        if name
    }
    return frozenset(estate | {name for name in declared if name.lower() not in others})


def _storage_binding_is_own(resource: Resource, stack: StackContext) -> Iterator[str]:
    binding = stack.bindings[resource.urn]
    if binding.securable_type not in STORAGE_SECURABLE_TYPES:
        return
    if not binding.securable:
        raise NotYetKnown("securableName")
    if binding.securable not in own_storage_securables(stack, binding.securable_type):
        yield (
            f"binds {binding.securable_type} {binding.securable!r}, which is not this "
            f"environment's ({stack.trust.environment}): a workspace bound to another "
            "environment's storage reaches its data; remove this binding"
        )


@rule(
    "storage-of-own-environment",
    "mandatory",
    "Storage credentials and service credentials use the stack's own access connector; "
    "external locations, external volumes and tables, and catalog and schema storage roots lie "
    "in the stack's own storage account.",
    "use the access connector and the storage account that the stack's config names",
    [STORAGE_CREDENTIAL, CREDENTIAL, EXTERNAL_LOCATION, VOLUME, SQL_TABLE, CATALOG, SCHEMA],
    scope="stack",
)
def storage_of_own_environment(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if resource.type in (STORAGE_CREDENTIAL, CREDENTIAL):
        if not _uses_own_access_connector(resource, stack):
            yield (
                f"{_connector_in_use(resource)}: a credential reaches storage and services "
                f"through this stack's access connector only; set azure_managed_identity's "
                f"access_connector_id to {trust.access_connector_id!r}"
            )
        return
    key, python_name = STORAGE_URL_KEYS[resource.type]
    url = resource.get(key)
    if url is None:
        return
    if storage_account_of(str(url)) != trust.storage_account.lower():
        yield (
            f"{python_name} {url!r} is not in this stack's storage account "
            f"({trust.storage_account!r}): use "
            f"abfss://<container>@{trust.storage_account}.dfs.core.windows.net/<path>"
        )


def _uses_own_access_connector(resource: Resource, stack: StackContext) -> bool:
    """Whether the credential's identity is the configured access connector's: a known id is
    the configured connector's id; an unknown one comes from that connector and nothing else.
    `access_connector_id`: "The Resource ID of the Azure Databricks Access Connector"
    (pulumi_databricks/_inputs.py); Azure resource ids are case-insensitive."""
    try:
        connector_id = resource.get("azureManagedIdentity", "accessConnectorId")
    except NotYetKnown:
        own = stack.access_connector
        sources = resource.property_dependencies.get("azureManagedIdentity")
        return own is not None and tuple(sources or ()) == (own.urn,)
    return same_id(connector_id, stack.trust.access_connector_id)


def _connector_in_use(resource: Resource) -> str:
    connector_id = resource.known("azureManagedIdentity", "accessConnectorId")
    if connector_id:
        return f"uses the access connector {connector_id!r}, not this stack's"
    if resource.known("azureManagedIdentity") is not None:
        return "uses an access connector whose id is computed from other resources"
    return "uses no access connector"


@rule(
    "metastore-securables-platform-only",
    "mandatory",
    "Only platform principals hold privileges on what lies outside catalogs: storage "
    "credentials, external locations, credentials, connections, shares, recipients; READ_FILES "
    "on the catalog storage would bypass the catalogs' isolation. Nobody is granted anything on "
    "the metastore, and no databricks.Grants (which replaces every grant of its securable) "
    "declares its grants: every workspace assigned to it shares it, the other environment's "
    "too, so a metastore privilege (CREATE_CATALOG, CREATE_EXTERNAL_LOCATION, MANAGE_ALLOWLIST"
    "...) acts beyond the stack's environment; the platform runner, a metastore admin, needs "
    "no grant.",
    "grant these securables only to the deployer or the platform admins group, and nothing on "
    "the metastore",
    [GRANTS, GRANT],
)
def metastore_securables_platform_only(resource: Resource, trust: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if securable is None or securable[0] in CATALOG_SECURABLE_TYPES:
        return
    if securable[0] == "metastore":
        # The metastore is assigned to both environments' workspaces (README). "Users with
        # MANAGE ALLOWLIST privileges can allowlist any path or Maven coordinate, effectively
        # controlling what code can run on standard access mode compute", and "You must be a
        # metastore admin or have the MANAGE ALLOWLIST privilege" (Learn, azure/databricks/
        # data-governance/unity-catalog/manage-privileges/allowlist).
        granting = [(p, privileges) for p, privileges in privileges_granted(resource) if privileges]
        for principal, privileges in granting:
            yield (
                f"{principal!r} holds {', '.join(sorted(privileges))} on the metastore "
                f"{securable[1]!r}: it is shared by every workspace assigned to it, the "
                "other environment's too; grant nothing on the metastore"
            )
        # databricks.Grants "will OVERWRITE any existing grants" on its securable
        # (terraform-provider-databricks docs/resources/grants.md).
        if resource.type == GRANTS and not granting:
            yield (
                f"declares every grant on the metastore {securable[1]!r}: databricks.Grants "
                "replaces them, those of every workspace assigned to it; grant nothing on the "
                "metastore"
            )
        return
    for principal, privileges in privileges_granted(resource):
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
    "The estate shares nothing through Delta Sharing: no share, no recipient, no grant on a "
    "share. A view in the development catalog may read governed data, and a recipient's name "
    "says nothing of who receives.",
    "remove the share, the recipient and the grants on the share",
    [SHARE, RECIPIENT, GRANTS, GRANT],
)
def no_delta_sharing_of_governed_data(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.type == RECIPIENT:
        if resource.get("authenticationType") == "TOKEN":
            yield (
                "a TOKEN recipient receives data through a bearer token anyone may hold: use "
                "Databricks-to-Databricks sharing"
            )
        else:
            yield (
                f"recipient {resource.get('name')!r} receives what is shared with it, in another "
                "metastore: the estate shares nothing; remove it"
            )
        return
    if resource.type == SHARE:
        governed = [
            name
            for index in range(len(resource.items("objects")))
            if trust.is_governed(name := str(resource.get("objects", index, "name", default="")))
        ]
        for name in governed:
            yield f"shares {name!r} of a governed catalog: governed data is not shared"
        if not governed:
            yield (
                f"share {resource.get('name')!r}: the estate shares nothing, and a shared view "
                "reads whatever its owner may read; remove it"
            )
        return
    securable = securable_of(resource)
    if securable is None or securable[0] != "share":
        return
    for principal, privileges in privileges_granted(resource):
        # On a share, the principal is a recipient (a grant of SELECT "to a recipient"), so a
        # recipient named like the platform admins or a service principal is no platform
        # principal; metastore-securables-platform-only reports every other principal.
        if privileges and (principal == trust.platform_admins or is_service_principal(principal)):
            yield (
                f"grants {', '.join(sorted(privileges))} on share {securable[1]!r} to "
                f"{principal!r}: the principal of a share's grant is a recipient, whatever it "
                "is called; the estate shares nothing"
            )


@rule(
    "one-securable-per-grant",
    "mandatory",
    "Each databricks.Grants or databricks.Grant names exactly one securable: the provider "
    "requires at least one of its securable keys, not one only, and applies to whichever it "
    "meets first in a Go map, at random.",
    "split the grants: one databricks.Grants per securable",
    [GRANTS, GRANT],
)
def one_securable_per_grant(resource: Resource, _: Trust) -> Iterator[str]:
    # terraform-provider-databricks catalog/resource_grants.go: every securable field has
    # `AtLeastOneOf` all of them; the one granted on is the first non-empty field met ranging
    # over the `Mappings` map (catalog/permissions/permissions.go, `KeyValue`), and Go
    # randomizes map iteration order.
    named = []
    for key in SECURABLE_KEYS:
        try:
            value = resource.get(key)
        except NotYetKnown:
            value = True  # unknown, but set
        if value:
            named.append(key)
    if len(named) > 1:
        yield (
            f"names {len(named)} securables ({', '.join(named)}): the provider grants on one of "
            "them, chosen at random; use one databricks.Grants per securable"
        )


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
    if not holds(resource, "workspaceId", own, "workspaceId"):
        yield (
            f"assigns the metastore to workspace {resource.shown('workspaceId')}, not the "
            "stack's own"
        )

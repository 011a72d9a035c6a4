"""The isolation rules of ISOLATION_RULES.md, as pure functions over resources.

A resource rule needs only the resource; a stack rule also reads the stack's context: its
environment, its own workspace and its bindings. Each check yields what to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from ..unity_catalog_terms import (
    ADMINISTRATIVE_PRIVILEGES,
    CATALOG_ISOLATED,
    HUMAN_GOVERNED_PRIVILEGES,
    READ_ONLY,
    READ_WRITE,
    STORAGE_ISOLATED,
)
from ..workspace_terms import CAN_READ, CAN_USE, HUMAN_FOLDER_LEVELS
from .model import (
    AZURE_WORKSPACE,
    NotYetKnown,
    PolicyEnvironment,
    Resource,
    is_service_principal,
    is_user,
    read_environment,
)

CATALOG = "databricks:index/catalog:Catalog"
SCHEMA = "databricks:index/schema:Schema"
GRANTS = "databricks:index/grants:Grants"
GRANT = "databricks:index/grant:Grant"
SQL_PERMISSIONS = "databricks:index/sqlPermissions:SqlPermissions"
WORKSPACE_BINDING = "databricks:index/workspaceBinding:WorkspaceBinding"
CATALOG_WORKSPACE_BINDING = "databricks:index/catalogWorkspaceBinding:CatalogWorkspaceBinding"
STORAGE_CREDENTIAL = "databricks:index/storageCredential:StorageCredential"
EXTERNAL_LOCATION = "databricks:index/externalLocation:ExternalLocation"
REGISTERED_MODEL = "databricks:index/registeredModel:RegisteredModel"
PERMISSIONS = "databricks:index/permissions:Permissions"
DIRECTORY = "databricks:index/directory:Directory"
NOTEBOOK = "databricks:index/notebook:Notebook"
WORKSPACE_FILE = "databricks:index/workspaceFile:WorkspaceFile"
JOB = "databricks:index/job:Job"
PIPELINE = "databricks:index/pipeline:Pipeline"
ENTITLEMENTS = "databricks:index/entitlements:Entitlements"
GROUP = "databricks:index/group:Group"
USER = "databricks:index/user:User"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
SECRET_BEARING_TYPES = frozenset({
    "databricks:index/token:Token",
    "databricks:index/oboToken:OboToken",
    "databricks:index/servicePrincipalSecret:ServicePrincipalSecret",
    "azuread:index/applicationPassword:ApplicationPassword",
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
})
PROVIDERS = frozenset({"pulumi:providers:databricks", "pulumi:providers:azure-native"})
SECRET_PROVIDER_INPUTS = ("token", "password", "clientSecret", "azureClientSecret",
                          "clientCertificatePassword")

# Properties of Grants/Grant that name the securable, and of Permissions that name a folder.
SECURABLE_KEYS = ("catalog", "schema", "table", "volume", "model", "function")
FOLDER_KEYS = ("directoryPath", "directoryId", "notebookPath", "notebookId",
               "workspaceFilePath", "workspaceFileId")
PATH_KEYS = ("path", "directoryPath", "notebookPath", "workspaceFilePath")
FORBIDDEN_ROOTS = ("/Shared", "/Users")


@dataclass(frozen=True)
class Binding:
    urn: str
    securable_type: str
    securable: str
    workspace_id: str | None
    binding_type: str


@dataclass(frozen=True)
class StackContext:
    """Facts that span resources, read once per stack, unknown values left as None."""

    env: PolicyEnvironment
    catalogs: frozenset[str]
    bindings: tuple[Binding, ...]

    def bindings_of(self, securable_type: str, name: str) -> list[Binding]:
        return [b for b in self.bindings
                if b.securable_type == securable_type and b.securable == name]

    def is_own_workspace(self, binding: Binding) -> bool:
        if binding.workspace_id is None or self.env.unknown_workspace:
            raise NotYetKnown("workspaceId")
        return binding.workspace_id in self.env.workspace_ids


def _known_or_none(resource: Resource, *path: str, default: object = None) -> object:
    try:
        return resource.get(*path, default=default)
    except NotYetKnown:
        return None


def stack_context(resources: Iterable[Resource]) -> StackContext:
    resources = list(resources)
    catalogs = frozenset(str(name) for name in (_known_or_none(r, "name")
                                                for r in resources if r.type == CATALOG) if name)
    bindings = []
    for resource in resources:
        if resource.type != WORKSPACE_BINDING:
            continue
        securable = (_known_or_none(resource, "securableName")
                     or _known_or_none(resource, "catalogName"))
        workspace_id = _known_or_none(resource, "workspaceId")
        bindings.append(Binding(
            urn=resource.urn,
            securable_type=str(_known_or_none(resource, "securableType", default="catalog")),
            securable=str(securable) if securable else "",
            workspace_id=str(workspace_id) if workspace_id is not None else None,
            binding_type=str(_known_or_none(resource, "bindingType", default=READ_WRITE))))
    return StackContext(env=read_environment(resources), catalogs=catalogs,
                        bindings=tuple(bindings))


Check = Callable[[Resource, StackContext], Iterator[str]]


@dataclass(frozen=True)
class Rule:
    name: str
    enforcement: Literal["mandatory", "advisory"]
    description: str
    types: frozenset[str]
    check: Check
    scope: Literal["resource", "stack"] = "resource"


RULES: list[Rule] = []


def rule(name: str, enforcement: Literal["mandatory", "advisory"], description: str,
         types: Iterable[str], scope: Literal["resource", "stack"] = "resource",
         ) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append(Rule(name, enforcement, description, frozenset(types), check, scope))
        return check

    return register


def _securable(resource: Resource) -> tuple[str, str] | None:
    for key in SECURABLE_KEYS:
        value = resource.get(key)
        if value:
            return key, str(value)
    return None


def granted(resource: Resource) -> list[tuple[str, list[str]]]:
    """(principal, privileges) of a Grants or a Grant resource."""
    if resource.type == GRANT:
        return [(resource.get("principal", default=""),
                 list(resource.items("privileges")))]
    return [(resource.get("grants", index, "principal", default=""),
             list(resource.items("grants", index, "privileges")))
            for index in range(len(resource.items("grants")))]


def access_controls(resource: Resource) -> list[tuple[str, str, str]]:
    """(kind, principal, level) of each access control of a Permissions resource."""
    controls = []
    for index in range(len(resource.items("accessControls"))):
        level = resource.get("accessControls", index, "permissionLevel", default="")
        for kind in ("servicePrincipalName", "groupName", "userName"):
            principal = resource.get("accessControls", index, kind)
            if principal:
                controls.append((kind, principal, level))
    return controls


def _is_human_control(kind: str) -> bool:
    return kind in ("groupName", "userName")


# --- Unity Catalog -----------------------------------------------------------------------

@rule("catalog-isolated", "mandatory", "Every Catalog has isolation_mode ISOLATED.", [CATALOG])
def catalog_isolated(resource: Resource, _: StackContext) -> Iterator[str]:
    mode = resource.get("isolationMode")
    if mode != CATALOG_ISOLATED:
        yield (f"catalog isolation mode is {mode or 'unset (OPEN)'}: set isolation_mode="
               f"\"{CATALOG_ISOLATED}\" so only bound workspaces can reach it")


@rule("catalog-bound-to-own-workspace", "mandatory",
      "Every catalog of a stack has a READ_WRITE binding to that stack's workspace and no "
      "READ_WRITE binding to any other workspace.", [CATALOG], scope="stack")
def catalog_bound_to_own_workspace(resource: Resource, stack: StackContext) -> Iterator[str]:
    name = resource.get("name")
    if not name:
        raise NotYetKnown("name")
    read_write = [b for b in stack.bindings_of("catalog", name) if b.binding_type == READ_WRITE]
    if not any(stack.is_own_workspace(b) for b in read_write):
        yield (f"catalog {name!r} has no READ_WRITE binding to this stack's workspace: add a "
               "databricks.WorkspaceBinding with binding_type BINDING_TYPE_READ_WRITE")
    for binding in read_write:
        if not stack.is_own_workspace(binding):
            yield (f"catalog {name!r} is bound READ_WRITE to workspace {binding.workspace_id}, "
                   f"another environment's ({binding.urn}): remove that binding")


@rule("cross-environment-read-only", "mandatory",
      "A binding of a catalog to another environment's workspace is READ_ONLY, and goes only "
      "from UAT into Prod; nothing of Prod is bound into UAT.", [WORKSPACE_BINDING],
      scope="stack")
def cross_environment_read_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    binding = next(b for b in stack.bindings if b.urn == resource.urn)
    if binding.securable_type != "catalog":
        return
    own_catalog = binding.securable in stack.catalogs
    into_own_workspace = stack.is_own_workspace(binding)
    if own_catalog == into_own_workspace:
        return  # within this environment, or another environment's own business
    if binding.binding_type != READ_ONLY:
        yield (f"catalog {binding.securable!r} crosses environments with "
               f"{binding.binding_type}: use BINDING_TYPE_READ_ONLY")
    if stack.env.environment == "uat" and not own_catalog:
        yield (f"catalog {binding.securable!r} of another environment is bound into UAT: "
               "nothing of Prod is bound into UAT; remove this binding")
    if stack.env.is_prod and own_catalog:
        yield (f"Prod catalog {binding.securable!r} is bound to another workspace: promotion "
               "goes only from UAT into Prod; remove this binding")


@rule("development-catalog-uat-only", "mandatory",
      "The development catalog is declared only in the UAT stack and bound only to the UAT "
      "workspace.", [CATALOG], scope="stack")
def development_catalog_uat_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    name = resource.get("name")
    development = stack.env.development_catalog
    if development is None or name != development:
        return
    if stack.env.environment != "uat":
        yield (f"development catalog {name!r} is declared in a {stack.env.environment or 'non-UAT'}"
               " stack: declare it only in the uat stack")
    for binding in stack.bindings_of("catalog", name):
        if not stack.is_own_workspace(binding):
            yield (f"development catalog {name!r} is bound to workspace {binding.workspace_id}:"
                   " bind it only to the UAT workspace")


@rule("owner-is-not-a-person", "mandatory",
      "Catalogs, schemas, registered models, storage credentials and external locations are "
      "owned by a group or a service principal, never by a user.",
      [CATALOG, SCHEMA, REGISTERED_MODEL, STORAGE_CREDENTIAL, EXTERNAL_LOCATION])
def owner_is_not_a_person(resource: Resource, _: StackContext) -> Iterator[str]:
    owner = resource.get("owner")
    if not owner:
        yield ("no owner is set, so the identity that runs `pulumi up` would own it: set owner "
               "to a group or a service principal's application id")
    elif is_user(owner):
        yield f"owned by the user {owner!r}: set owner to a group or a service principal"


@rule("governed-read-execute-only", "mandatory",
      "On governed securables, humans hold only BROWSE, USE_CATALOG, USE_SCHEMA, SELECT, "
      "EXECUTE, READ_VOLUME.", [GRANTS, GRANT], scope="stack")
def governed_read_execute_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    securable = _securable(resource)
    if securable is None or not stack.env.is_governed(securable[1]):
        return
    for principal, privileges in granted(resource):
        if is_service_principal(principal):
            continue
        extra = sorted(set(privileges) - HUMAN_GOVERNED_PRIVILEGES)
        if extra:
            yield (f"{principal!r} holds {', '.join(extra)} on governed {securable[0]} "
                   f"{securable[1]!r}: humans may hold only "
                   f"{', '.join(sorted(HUMAN_GOVERNED_PRIVILEGES))}")


@rule("manage-only-platform", "mandatory",
      "MANAGE and ALL_PRIVILEGES go only to platform principals, except on the development "
      "catalog's feature-development schema.", [GRANTS, GRANT], scope="stack")
def manage_only_platform(resource: Resource, stack: StackContext) -> Iterator[str]:
    securable = _securable(resource)
    if securable is None:
        return
    for principal, privileges in granted(resource):
        administrative = sorted(set(privileges) & ADMINISTRATIVE_PRIVILEGES)
        if not administrative or stack.env.is_platform_principal(principal):
            continue
        if (stack.env.is_development_schema(securable[1])
                and principal == stack.env.data_scientists):
            continue
        yield (f"{principal!r} holds {', '.join(administrative)} on {securable[0]} "
               f"{securable[1]!r}: only the deployer and the platform admins may")


@rule("authoritative-grants-only", "mandatory",
      "Governed securables get their grants from databricks.Grants; databricks.Grant and "
      "SqlPermissions are not used on them.", [GRANT, SQL_PERMISSIONS], scope="stack")
def authoritative_grants_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.type == SQL_PERMISSIONS:
        yield "SqlPermissions bypass Unity Catalog: use databricks.Grants"
        return
    securable = _securable(resource)
    if securable and stack.env.is_governed(securable[1]):
        yield (f"databricks.Grant on governed {securable[0]} {securable[1]!r} leaves grants "
               "made by hand in place: use one authoritative databricks.Grants per securable")


@rule("no-deprecated-binding-resource", "mandatory",
      "CatalogWorkspaceBinding is not used; WorkspaceBinding is.", [CATALOG_WORKSPACE_BINDING])
def no_deprecated_binding_resource(resource: Resource, _: StackContext) -> Iterator[str]:
    yield "databricks.CatalogWorkspaceBinding is deprecated: use databricks.WorkspaceBinding"


@rule("storage-isolated", "mandatory",
      "Storage credentials and external locations are ISOLATION_MODE_ISOLATED and bound only "
      "to their environment's workspace.", [STORAGE_CREDENTIAL, EXTERNAL_LOCATION],
      scope="stack")
def storage_isolated(resource: Resource, stack: StackContext) -> Iterator[str]:
    mode = resource.get("isolationMode")
    if mode != STORAGE_ISOLATED:
        yield (f"isolation mode is {mode or 'unset (OPEN)'}: set "
               f"isolation_mode=\"{STORAGE_ISOLATED}\"")
    name = resource.get("name")
    if not name:
        raise NotYetKnown("name")
    securable_type = ("storage_credential" if resource.type == STORAGE_CREDENTIAL
                      else "external_location")
    bindings = stack.bindings_of(securable_type, name)
    if not any(stack.is_own_workspace(b) for b in bindings):
        yield (f"{securable_type} {name!r} is not bound to this stack's workspace: add a "
               f"databricks.WorkspaceBinding with securable_type \"{securable_type}\"")
    for binding in bindings:
        if not stack.is_own_workspace(binding):
            yield (f"{securable_type} {name!r} is bound to workspace {binding.workspace_id}: "
                   "remove that binding")


# --- Workspace ---------------------------------------------------------------------------

@rule("deployment-folder-locked", "mandatory",
      "On a deployment or PR-validation folder, only service principals hold CAN_EDIT or "
      "CAN_MANAGE; humans hold at most CAN_READ or CAN_RUN.", [PERMISSIONS])
def deployment_folder_locked(resource: Resource, _: StackContext) -> Iterator[str]:
    if not any(resource.get(key) for key in FOLDER_KEYS):
        return
    for kind, principal, level in access_controls(resource):
        if _is_human_control(kind) and level not in HUMAN_FOLDER_LEVELS:
            yield (f"{principal!r} holds {level} on a locked folder: humans may hold only "
                   f"{' or '.join(sorted(HUMAN_FOLDER_LEVELS))}; only CI/CD writes here")


@rule("no-deployments-under-shared-or-users", "mandatory",
      "No estate-managed directory, notebook or folder permission lies under /Shared or /Users.",
      [DIRECTORY, NOTEBOOK, WORKSPACE_FILE, PERMISSIONS])
def no_deployments_under_shared_or_users(resource: Resource, _: StackContext) -> Iterator[str]:
    for key in PATH_KEYS:
        path = resource.get(key)
        if path and any(path == root or path.startswith(root + "/") for root in FORBIDDEN_ROOTS):
            yield (f"{key} {path!r} lies under /Shared or /Users, where humans can write: "
                   "use a locked folder such as /Deployments/<project>")


@rule("jobs-run-as-service-principal", "mandatory",
      "Every Job or pipeline the estate declares runs as a service principal.", [JOB, PIPELINE])
def jobs_run_as_service_principal(resource: Resource, _: StackContext) -> Iterator[str]:
    principal = resource.get("runAs", "servicePrincipalName")
    if not principal:
        user = resource.get("runAs", "userName") or resource.get("runAsUserName")
        who = f"the user {user!r}" if user else "its creator"
        yield (f"runs as {who}: set run_as.service_principal_name to the deployer's "
               "application id")


@rule("prod-humans-no-cluster-create", "mandatory",
      "In Prod, no human group or user is entitled to create clusters or instance pools.",
      [ENTITLEMENTS, GROUP, USER], scope="stack")
def prod_humans_no_cluster_create(resource: Resource, stack: StackContext) -> Iterator[str]:
    if not stack.env.is_prod or resource.get("servicePrincipalId"):
        return
    for entitlement in ("allowClusterCreate", "allowInstancePoolCreate"):
        if resource.get(entitlement) is True:
            yield f"{entitlement} is true for humans in Prod: set it to false"


@rule("workspace-hardened", "mandatory",
      "Every Azure Databricks workspace is premium SKU with secure cluster connectivity (no "
      "public IP).", [AZURE_WORKSPACE])
def workspace_hardened(resource: Resource, _: StackContext) -> Iterator[str]:
    sku = resource.get("sku", "name")
    if sku != "premium":
        yield f"SKU is {sku or 'unset'}: set sku name \"premium\" (Unity Catalog and ACLs)"
    if resource.get("parameters", "enableNoPublicIp", "value") is not True:
        yield ("secure cluster connectivity is off: set parameters.enable_no_public_ip "
               "value true")


@rule("prod-protected", "mandatory",
      "In Prod, the workspace, the storage account and governed catalogs are protected "
      "(protect or retain-on-delete) and no catalog sets force_destroy.",
      [AZURE_WORKSPACE, STORAGE_ACCOUNT, CATALOG], scope="stack")
def prod_protected(resource: Resource, stack: StackContext) -> Iterator[str]:
    if not stack.env.is_prod:
        return
    if resource.type == CATALOG and resource.get("forceDestroy") is True:
        yield "force_destroy is set on a Prod catalog: remove it"
    governed = resource.type != CATALOG or stack.env.is_governed(resource.get("name") or "")
    if governed and not (resource.protect or resource.retain_on_delete):
        yield "not protected in Prod: set protect=True (or retain_on_delete=True)"


@rule("no-long-lived-secrets", "mandatory",
      "No personal access token, service principal secret or client secret is created; "
      "deployers authenticate by federation.", [*SECRET_BEARING_TYPES, *PROVIDERS])
def no_long_lived_secrets(resource: Resource, _: StackContext) -> Iterator[str]:
    if resource.type in SECRET_BEARING_TYPES:
        yield (f"{resource.type.rsplit(':', 1)[1]} creates a long-lived secret: authenticate "
               "with a federated managed identity (GitHub Actions OIDC) instead")
        return
    for key in SECRET_PROVIDER_INPUTS:
        if resource.get(key):
            yield (f"the provider is given {key}: authenticate by federation (OIDC) or the "
                   "Azure CLI instead")


@rule("storage-account-hardened", "mandatory",
      "Storage accounts: HTTPS only, minimum TLS 1.2, no public blob access.", [STORAGE_ACCOUNT])
def storage_account_hardened(resource: Resource, _: StackContext) -> Iterator[str]:
    if resource.get("enableHttpsTrafficOnly") is not True:
        yield "HTTPS-only is not set: set enable_https_traffic_only=True"
    if resource.get("minimumTlsVersion") not in ("TLS1_2", "TLS1_3"):
        yield "minimum TLS is below 1.2 or unset: set minimum_tls_version=\"TLS1_2\""
    if resource.get("allowBlobPublicAccess") is not False:
        yield "public blob access is not disabled: set allow_blob_public_access=False"


@rule("tokens-for-service-principals-only", "advisory",
      "The workspace token permissions grant CAN_USE only to service principals.",
      [PERMISSIONS])
def tokens_for_service_principals_only(resource: Resource, _: StackContext) -> Iterator[str]:
    if resource.get("authorization") != "tokens":
        return
    for kind, principal, level in access_controls(resource):
        if _is_human_control(kind):
            yield (f"{principal!r} may use tokens ({level}): grant {CAN_USE} on tokens only to "
                   "service principals")


@rule("prod-workspace-registry-read-only", "advisory",
      "In Prod, humans hold at most CAN_READ on the workspace model registry.", [PERMISSIONS],
      scope="stack")
def prod_workspace_registry_read_only(resource: Resource, stack: StackContext) -> Iterator[str]:
    if not stack.env.is_prod or not resource.get("registeredModelId"):
        return
    for kind, principal, level in access_controls(resource):
        if _is_human_control(kind) and level != CAN_READ:
            yield f"{principal!r} holds {level} on the Prod model registry: give humans CAN_READ"


@rule("public-network-access-disabled", "advisory",
      "Workspaces disable public network access (private link).", [AZURE_WORKSPACE])
def public_network_access_disabled(resource: Resource, _: StackContext) -> Iterator[str]:
    if resource.get("publicNetworkAccess") != "Disabled":
        yield ("public network access is enabled: set public_network_access \"Disabled\" and "
               "reach the workspace through private link")

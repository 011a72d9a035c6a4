"""Every isolation rule, with stacks that break it and stacks that keep it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy
from support.network_cases import (
    APPROVAL,
    ATTACKER_PES,
    CATALOG_ID,
    ENDPOINT_SUBNET_ID,
    NAT_ID,
    NCC_BINDING,
    NCC_ENDPOINTS,
    NCC_ID,
    NCC_RULE,
    NSG_ONLY,
    OPTION,
    PIP_ID,
    POLICY_ID,
    POLICY_TYPE,
    PRIVATE_ENDPOINT,
    PROD_CATALOG_ID,
    PUBLIC_IP,
    RG,
    SECURITY_RULE,
    SUBNET,
    UC_CONNECTOR_ID,
    VNET_ID,
    WORKSPACE_ID,
    WORKSPACE_NETWORK,
    WS_CONNECTOR_ID,
    ZONE,
    ZONE_GROUP,
    ZONE_LINK,
    endpoint,
    network_with,
    networked,
)
from support.plans import example_plan
from support.policy_cases import (
    ACCOUNT as ACCOUNT_ID,
)
from support.policy_cases import (
    AZURE_DATABRICKS_OBJECT,
    CONNECTOR_OBJECT,
    DEPLOYER,
    DEPLOYER_OBJECT,
    DEPLOYER_SP_ID,
    FOREIGN_SP,
    METASTORE,
    OTHER_WORKSPACE,
    OWN_WORKSPACE,
    RUNNER,
    RUNNER_OBJECT,
    STABLE_RULES,
    SUBSCRIPTION,
    TENANT,
    allowing,
    binding,
    catalog,
    deployer_sp,
    encrypted_entities,
    environment,
    federated,
    folder_permissions,
    grants,
    resource,
    role,
    trust,
)

from mlops_estate.commands.plan.record import Lookup
from mlops_estate.rules import RULES, Resource, evaluate

Stack = Callable[[], list[Resource]]


def uat(*extra: Resource) -> list[Resource]:
    return [*environment("uat"), *extra]


def prod(*extra: Resource) -> list[Resource]:
    return [*environment("prod"), *extra]


def scoped(assignment: Resource, scope: str) -> Resource:
    """A role assignment at another scope."""
    return dataclasses.replace(assignment, props={**assignment.props, "scope": scope})


def bound(name: str, stack: str = "uat", **props: object) -> list[Resource]:
    protect = stack == "prod"
    cat = catalog(name, stack, **props)
    cat = dataclasses.replace(cat, protect=protect)
    return [cat, binding(name, stack=stack)]


def storage(
    typ: str, name: str, mode: str = "ISOLATION_MODE_ISOLATED", workspace: str = "1001"
) -> list[Resource]:
    kind = "storage_credential" if typ.endswith("StorageCredential") else "external_location"
    return [
        resource(
            f"databricks:index/{typ}",
            name,
            name=name,
            isolationMode=mode,
            owner="ml-platform-admins",
        ),
        binding(name, workspace, securable_type=kind),
    ]


def rotated_key(name: str, expiry_time: str, **trigger: str) -> Resource:
    """A key of the estate's vault whose versions live `expiry_time` and rotate on `trigger`."""
    return resource(
        KEY_TYPE,
        name,
        vaultName="kv-mlops-uat-keys",
        properties={
            "attributes": {"expires": 1830297600},
            "rotationPolicy": {
                "attributes": {"expiryTime": expiry_time},
                "lifetimeActions": [{"action": {"type": "rotate"}, "trigger": trigger}],
            },
        },
    )


MWS_ASSIGNMENT = "databricks:index/mwsPermissionAssignment:MwsPermissionAssignment"
GROUP_MEMBER = "databricks:index/groupMember:GroupMember"
RULE_SET = "databricks:index/accessControlRuleSet:AccessControlRuleSet"
GROUP = "databricks:index/group:Group"
USER = "databricks:index/user:User"
SERVICE_PRINCIPAL = "databricks:index/servicePrincipal:ServicePrincipal"
SP_FEDERATION = "databricks:index/servicePrincipalFederationPolicy:ServicePrincipalFederationPolicy"
SCHEMA_TYPE = "databricks:index/schema:Schema"
CATALOG_TYPE = "databricks:index/catalog:Catalog"
SHARE_TYPE = "databricks:index/share:Share"
RECIPIENT_TYPE = "databricks:index/recipient:Recipient"
METASTORE_ASSIGNMENT = "databricks:index/metastoreAssignment:MetastoreAssignment"
PERMISSIONS_TYPE = "databricks:index/permissions:Permissions"
CONF = "databricks:index/workspaceConf:WorkspaceConf"
POLICY = "databricks:index/clusterPolicy:ClusterPolicy"
CONTAINER = "azure-native:storage:BlobContainer"
ACCESS_CONNECTOR_TYPE = "azure-native:databricks:AccessConnector"
WORKSPACE_TYPE = "azure-native:databricks:Workspace"
GITHUB = "https://token.actions.githubusercontent.com"
READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
BLOB_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
CONTRIBUTOR_ROLE = "b24988ac-6180-42a0-ab88-20f7382dd24c"
DATA_PURGER_ROLE = "150f5e0c-0603-4f03-8c7f-cf70034c4e90"
UAT_WORKSPACE_ID = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat/providers/"
    "Microsoft.Databricks/workspaces/dbw-mlops-uat"
)
UAT_LOGS_ID = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat/providers/"
    "Microsoft.OperationalInsights/workspaces/log-mlops-uat"
)
HARDENED_ACCOUNT = {
    "enableHttpsTrafficOnly": True,
    "minimumTlsVersion": "TLS1_2",
    "allowBlobPublicAccess": False,
}
ACCOUNT = "azure-native:storage:StorageAccount"
ENTITLEMENTS = "databricks:index/entitlements:Entitlements"
JOB = "databricks:index/job:Job"

# (rule, case id, stack, number of violations of that rule)
SLEEP_TYPE = "time:index/sleep:Sleep"
TIME_PROVIDER_TYPE = "pulumi:providers:time"
LOCATION_TYPE = "databricks:index/externalLocation:ExternalLocation"
USERS_LOOKUP = Lookup("databricks:index/getGroup:getGroup", {"displayName": "users"}, {"id": "7"})
CONNECTOR = "urn:pulumi:uat::mlops-estate::azure-native:databricks:AccessConnector::connector"
WORKSPACE = "urn:pulumi:uat::mlops-estate::azure-native:databricks:Workspace::workspace"


def waiting(waiter: Resource, *others: Resource) -> Resource:
    """`waiter`, depending on `others`."""
    return dataclasses.replace(waiter, dependencies=tuple(o.urn for o in others))


def metastore_assignment() -> Resource:
    return resource(
        METASTORE_ASSIGNMENT,
        "metastore",
        metastoreId=METASTORE,
        workspaceId=OWN_WORKSPACE,
        property_dependencies={"workspaceId": (WORKSPACE,)},
    )


CATALOG_ACCOUNT = "stmlopsuatcatalog"
CATALOG_ACCOUNT_ID = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat/providers/"
    f"Microsoft.Storage/storageAccounts/{CATALOG_ACCOUNT}"
)


def catalog_account() -> Resource:
    return resource(ACCOUNT, "catalog-account", accountName=CATALOG_ACCOUNT, id=CATALOG_ACCOUNT_ID)


def connector_role(role_guid: str = BLOB_CONTRIBUTOR) -> Resource:
    """The access connector's role on the catalog storage account."""
    assignment = role(role_guid, CONNECTOR_OBJECT, "role")
    return dataclasses.replace(
        assignment,
        props={**assignment.props, "scope": CATALOG_ACCOUNT_ID},
        property_dependencies={"principalId": (CONNECTOR,)},
    )


def located() -> Resource:
    """An external location in the catalog storage account."""
    return resource(
        LOCATION_TYPE, "loc", name="l", url=f"abfss://c@{CATALOG_ACCOUNT}.dfs.core.windows.net/"
    )


def sleep(duration: str = "60s", **props: object) -> Resource:
    return resource(SLEEP_TYPE, "wait", createDuration=duration, triggers={"on": "x"}, **props)


def federated_named(logical: str) -> Resource:
    """A federated credential on the deployer identity, registered as `logical`."""
    credential = federated(f"repo:contoso/ml-projects:environment:{logical}")
    return dataclasses.replace(
        credential, name=logical, urn=credential.urn[: -len("fic")] + logical
    )


def respelled(credential: Resource, spell: Callable[[str], str]) -> Resource:
    """A federated credential with its identity's group and name spelled otherwise."""
    props = {
        **credential.props,
        "resourceGroupName": spell(credential.props["resourceGroupName"]),
        "resourceName": spell(credential.props["resourceName"]),
    }
    return dataclasses.replace(credential, props=props)


def assigned_then(*later: Callable[[Resource, Resource], Resource]) -> list[Resource]:
    """A workspace assignment, a wait after it, and resources built from both."""
    assignment = resource(MWS_ASSIGNMENT, "a", principalId="7")
    wait = waiting(sleep(), assignment)
    return uat(assignment, wait, *(build(assignment, wait) for build in later))


ROLE_SCOPES_OUTSIDE = {
    "management-group": "/providers/Microsoft.Management/managementGroups/contoso",
    "subscription": f"/subscriptions/{SUBSCRIPTION}",
    "a-longer-group-name": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat-data",
    "climbing-out": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat/../rg-mlops-prod",
    "escaped-climb": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat/%2e%2e",
}

KEY_VAULT_TYPE = "azure-native:keyvault:Vault"
KEY_TYPE = "azure-native:keyvault:Key"
DIAGNOSTIC_SETTING_TYPE = "azure-native:monitor:DiagnosticSetting"
LOG_ANALYTICS_TYPE = "azure-native:operationalinsights:Workspace"
SYSTEM_SCHEMA_TYPE = "databricks:index/systemSchema:SystemSchema"
SQL_TABLE_TYPE = "databricks:index/sqlTable:SqlTable"
CRYPTO_USER_ROLE = "12338af0-0e69-4776-bea7-57ae8d297424"
GRANT_TYPE = "databricks:index/grant:Grant"
GRANTS_TYPE = "databricks:index/grants:Grants"
KEY_USER_ROLE = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
KEY_VAULT_ID = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat/providers/"
    "Microsoft.KeyVault/vaults/kv-mlops-uat-keys"
)

CASES: list[tuple[str, str, Stack, list[tuple[str, str]]]] = [
    ("catalog-isolated", "isolated", lambda: uat(*bound("mlops_uat")), []),
    (
        "catalog-isolated",
        "open",
        lambda: uat(*bound("mlops_uat", isolationMode="OPEN")),
        [
            (
                "mlops_uat",
                'catalog isolation mode is OPEN: set isolation_mode="ISOLATED" so only bound '
                "workspaces can reach it",
            ),
        ],
    ),
    (
        "catalog-isolated",
        "unset",
        lambda: uat(*bound("mlops_uat", isolationMode=None)),
        [
            (
                "mlops_uat",
                'catalog isolation mode is unset (OPEN): set isolation_mode="ISOLATED" so only '
                "bound workspaces can reach it",
            ),
        ],
    ),
    ("catalog-bound-to-own-workspace", "bound", lambda: uat(*bound("mlops_uat")), []),
    (
        "catalog-bound-to-own-workspace",
        "unbound",
        lambda: uat(catalog("mlops_uat")),
        [
            (
                "mlops_uat",
                "catalog 'mlops_uat' has no READ_WRITE binding to this stack's workspace: add a "
                "databricks.WorkspaceBinding with binding_type BINDING_TYPE_READ_WRITE",
            ),
        ],
    ),
    (
        "catalog-bound-to-own-workspace",
        "also-read-write-elsewhere",
        lambda: uat(*bound("mlops_uat"), binding("mlops_uat", OTHER_WORKSPACE)),
        [
            (
                "mlops_uat",
                "catalog 'mlops_uat' is bound READ_WRITE to workspace 2002, another "
                "environment's "
                "(urn:pulumi:uat::mlops-estate::databricks:index/workspaceBinding:"
                "WorkspaceBinding::mlops_uat-2002-BINDING_TYPE_READ_WRITE): "
                "remove that binding",
            ),
        ],
    ),
    (
        "cross-environment-read-only",
        "uat-read-only-into-prod",
        lambda: prod(
            *bound("mlops_prod", "prod"),
            binding("mlops_uat", stack="prod", binding_type="BINDING_TYPE_READ_ONLY"),
        ),
        [],
    ),
    (
        "cross-environment-read-only",
        "uat-read-write-into-prod",
        lambda: prod(*bound("mlops_prod", "prod"), binding("mlops_uat", stack="prod")),
        [
            (
                "mlops_uat-1001-BINDING_TYPE_READ_WRITE",
                "catalog 'mlops_uat' crosses environments with BINDING_TYPE_READ_WRITE: use "
                "BINDING_TYPE_READ_ONLY",
            ),
        ],
    ),
    (
        "cross-environment-read-only",
        "uat-development-catalog-into-prod",
        lambda: prod(
            *bound("mlops_prod", "prod"),
            binding("mlops_dev", stack="prod", binding_type="BINDING_TYPE_READ_ONLY"),
        ),
        [
            (
                "mlops_dev-1001-BINDING_TYPE_READ_ONLY",
                "catalog 'mlops_dev' of another environment is bound into Prod: only the "
                "promotion source 'mlops_uat' is; remove this binding",
            ),
        ],
    ),
    (
        "cross-environment-read-only",
        "prod-into-uat",
        lambda: uat(
            *bound("mlops_uat"), binding("mlops_prod", binding_type="BINDING_TYPE_READ_ONLY")
        ),
        [
            (
                "mlops_prod-1001-BINDING_TYPE_READ_ONLY",
                "catalog 'mlops_prod' of another environment is bound into UAT: nothing of Prod "
                "is bound into UAT; remove this binding",
            ),
        ],
    ),
    (
        "cross-environment-read-only",
        "prod-out-to-another-workspace",
        lambda: prod(
            *bound("mlops_prod", "prod"),
            binding("mlops_prod", OTHER_WORKSPACE, "prod", "BINDING_TYPE_READ_ONLY"),
        ),
        [
            (
                "mlops_prod-2002-BINDING_TYPE_READ_ONLY",
                "Prod catalog 'mlops_prod' is bound to another workspace: promotion goes only "
                "from UAT into Prod; remove this binding",
            ),
        ],
    ),
    ("development-catalog-uat-only", "in-uat", lambda: uat(*bound("mlops_dev")), []),
    (
        "development-catalog-uat-only",
        "bound-elsewhere",
        lambda: uat(
            *bound("mlops_dev"),
            binding("mlops_dev", OTHER_WORKSPACE, binding_type="BINDING_TYPE_READ_ONLY"),
        ),
        [
            (
                "mlops_dev",
                "development catalog 'mlops_dev' is bound to workspace 2002: bind it only to "
                "the UAT workspace",
            ),
        ],
    ),
    (
        "development-catalog-uat-only",
        "in-prod",
        lambda: prod(
            *bound("mlops_prod", "prod"),
            *bound("mlops_prod_evidence", "prod"),
            *bound("mlops_dev", "prod"),
        ),
        [
            (
                "mlops_dev",
                "catalog 'mlops_dev' is not the prod stack's governed catalog ('mlops_prod') or "
                "evidence catalog ('mlops_prod_evidence'): a development catalog is declared "
                "only in the uat stack",
            ),
        ],
    ),
    (
        "evidence-catalog-readers-only",
        "readers-and-the-runner",
        lambda: uat(
            *bound("mlops_uat_evidence", owner=RUNNER),
            resource(
                SCHEMA_TYPE,
                "evidence",
                catalogName="mlops_uat_evidence",
                name="audit_evidence",
                owner=RUNNER,
            ),
            grants(
                "catalog",
                "mlops_uat_evidence",
                ml__auditors=["USE_CATALOG"],
                ml__platform__admins=["USE_CATALOG"],
            ),
            grants(
                "schema",
                "mlops_uat_evidence.audit_evidence",
                ml__auditors=["USE_SCHEMA", "SELECT"],
                **{RUNNER: ["ALL_PRIVILEGES"]},
            ),
            grants("catalog", "mlops_uat", **{DEPLOYER: ["ALL_PRIVILEGES"]}),
        ),
        [],
    ),
    (
        "evidence-catalog-readers-only",
        "the-deployer-a-persona-a-reader-beyond-reading-and-a-binding-elsewhere",
        lambda: uat(
            *bound("mlops_uat_evidence", owner=DEPLOYER),
            binding("mlops_uat_evidence", OTHER_WORKSPACE, binding_type="BINDING_TYPE_READ_ONLY"),
            grants(
                "catalog",
                "MLOPS_UAT_EVIDENCE",
                ml__auditors=["USE_CATALOG", "BROWSE"],
                **{DEPLOYER: ["USE_CATALOG"]},
            ),
            grants("schema", "mlops_uat_evidence.audit_evidence", ml__engineers=["SELECT"]),
            resource(
                SQL_TABLE_TYPE,
                "decoy",
                catalogName="mlops_uat_evidence",
                schemaName="audit_evidence",
                name="audit_events_v2",
                owner=DEPLOYER,
            ),
        ),
        [
            (
                "mlops_uat_evidence",
                f"owned by '{DEPLOYER}' in the evidence catalog 'mlops_uat_evidence': an owner "
                "may do and grant anything there; set owner to the platform runner",
            ),
            (
                "decoy",
                f"owned by '{DEPLOYER}' in the evidence catalog 'mlops_uat_evidence': an owner "
                "may do and grant anything there; set owner to the platform runner",
            ),
            (
                "mlops_uat_evidence-2002-BINDING_TYPE_READ_ONLY",
                "binds the evidence catalog 'mlops_uat_evidence' to workspace 2002: it is bound "
                "to this stack's workspace only",
            ),
            (
                "grants-MLOPS_UAT_EVIDENCE",
                "'ml-auditors' holds BROWSE on catalog 'mlops_uat_evidence': the evidence readers "
                "hold only SELECT, USE_CATALOG, USE_SCHEMA in the evidence catalog",
            ),
            (
                "grants-MLOPS_UAT_EVIDENCE",
                f"'{DEPLOYER}' holds USE_CATALOG on catalog 'mlops_uat_evidence': only the "
                "auditors and the platform admins read the evidence catalog, and nobody else "
                "holds anything in it",
            ),
            (
                "grants-mlops_uat_evidence.audit_evidence",
                "'ml-engineers' holds SELECT on schema 'mlops_uat_evidence.audit_evidence': only "
                "the auditors and the platform admins read the evidence catalog, and nobody else "
                "holds anything in it",
            ),
        ],
    ),
    (
        "evidence-catalog-readers-only",
        "the-evidence-schema-and-its-views-in-any-case",
        lambda: uat(
            resource(
                SCHEMA_TYPE,
                "evidence",
                catalogName="MLOPS_UAT_EVIDENCE",
                name="`Audit_Evidence`",
                owner=RUNNER,
            ),
            resource(
                SQL_TABLE_TYPE,
                "view",
                catalogName="mlops_uat_evidence",
                schemaName="AUDIT_EVIDENCE",
                name="workspace_audit",
                owner=RUNNER,
            ),
            resource(
                "databricks:index/volume:Volume",
                "governed-volume",
                catalogName="mlops_uat",
                schemaName="scratch",
                name="v",
                owner=RUNNER,
            ),
        ),
        [],
    ),
    (
        "evidence-catalog-readers-only",
        "a-look-alike-schema-and-what-lies-outside-the-evidence-schema",
        lambda: uat(
            resource(
                SCHEMA_TYPE,
                "look-alike",
                catalogName="MLOPS_UAT_EVIDENCE",
                name="audit_evidence_v2",
                owner=RUNNER,
            ),
            resource(
                SQL_TABLE_TYPE,
                "look-alike-view",
                catalogName="mlops_uat_evidence",
                schemaName="audit_evidence_v2",
                name="workspace_audit",
                owner=RUNNER,
            ),
            resource(
                "databricks:index/volume:Volume",
                "scratch-volume",
                catalogName="mlops_uat_evidence",
                schemaName="scratch",
                name="v",
                owner=RUNNER,
            ),
            resource(
                "databricks:index/registeredModel:RegisteredModel",
                "model",
                catalogName="mlops_uat_evidence",
                schemaName="`Models`",
                name="m",
                owner=RUNNER,
            ),
        ),
        [
            (
                "look-alike",
                "schema 'mlops_uat_evidence.audit_evidence_v2' in the evidence catalog "
                "'mlops_uat_evidence': it holds only the evidence schema "
                "'mlops_uat_evidence.audit_evidence'",
            ),
            (
                "look-alike-view",
                "SqlTable mlops_uat_evidence.audit_evidence_v2.workspace_audit is in the evidence "
                "catalog 'mlops_uat_evidence' outside the evidence schema "
                "'mlops_uat_evidence.audit_evidence': it holds nothing else",
            ),
            (
                "scratch-volume",
                "Volume mlops_uat_evidence.scratch.v is in the evidence catalog "
                "'mlops_uat_evidence' outside the evidence schema "
                "'mlops_uat_evidence.audit_evidence': it holds nothing else",
            ),
            (
                "model",
                "RegisteredModel mlops_uat_evidence.models.m is in the evidence catalog "
                "'mlops_uat_evidence' outside the evidence schema "
                "'mlops_uat_evidence.audit_evidence': it holds nothing else",
            ),
        ],
    ),
    (
        "owner-is-not-a-person",
        "group-and-sp",
        lambda: uat(catalog("a", owner="ml-platform-admins"), catalog("b")),
        [],
    ),
    (
        "owner-is-not-a-person",
        "user",
        lambda: uat(catalog("a", owner="someone@contoso.com")),
        [
            (
                "a",
                "owned by the user 'someone@contoso.com': set owner to a group or a service "
                "principal",
            ),
        ],
    ),
    (
        "owner-is-not-a-person",
        "unset",
        lambda: uat(resource("databricks:index/schema:Schema", "s", catalogName="a", name="s")),
        [
            (
                "s",
                "no owner is set, so the identity that runs `pulumi up` would own it: set owner "
                "to a group or a service principal's application id",
            ),
        ],
    ),
    (
        "governed-read-execute-only",
        "read",
        lambda: uat(
            grants(
                "schema",
                "mlops_uat.churn_models",
                ml__engineers=["SELECT", "EXECUTE"],
                **{DEPLOYER: ["ALL_PRIVILEGES"]},
            )
        ),
        [],
    ),
    (
        "governed-read-execute-only",
        "modify-for-a-group",
        lambda: uat(grants("schema", "mlops_uat.churn_models", ml__engineers=["MODIFY"])),
        [
            (
                "grants-mlops_uat.churn_models",
                "'ml-engineers' holds MODIFY on governed schema 'mlops_uat.churn_models': "
                "humans may hold only BROWSE, EXECUTE, READ_VOLUME, SELECT, USE_CATALOG, "
                "USE_SCHEMA",
            ),
        ],
    ),
    (
        "governed-read-execute-only",
        "write-on-a-table",
        lambda: uat(grants("table", "mlops_uat.churn_features.t", ml__engineers=["MODIFY"])),
        [
            (
                "grants-mlops_uat.churn_features.t",
                "'ml-engineers' holds MODIFY on governed table 'mlops_uat.churn_features.t': "
                "humans may hold only BROWSE, EXECUTE, READ_VOLUME, SELECT, USE_CATALOG, "
                "USE_SCHEMA",
            ),
        ],
    ),
    (
        "governed-read-execute-only",
        "development-catalog-is-not-governed",
        lambda: uat(grants("schema", "mlops_dev.scratch", ml__data__scientists=["MODIFY"])),
        [],
    ),
    (
        "manage-only-platform",
        "platform-principals",
        lambda: uat(
            grants(
                "catalog",
                "mlops_uat",
                ml__platform__admins=["MANAGE"],
                **{DEPLOYER: ["ALL_PRIVILEGES"]},
            )
        ),
        [],
    ),
    (
        "manage-only-platform",
        "data-scientists-on-feature-development",
        lambda: uat(
            grants(
                "schema",
                "mlops_dev.feature_development",
                ml__data__scientists=["ALL_PRIVILEGES", "MANAGE"],
            )
        ),
        [],
    ),
    (
        "manage-only-platform",
        "data-scientists-elsewhere-in-development",
        lambda: uat(grants("schema", "mlops_dev.other", ml__data__scientists=["MANAGE"])),
        [
            (
                "grants-mlops_dev.other",
                "'ml-data-scientists' holds MANAGE on schema 'mlops_dev.other': only the "
                "deployer and the platform admins may",
            ),
        ],
    ),
    (
        "manage-only-platform",
        "engineers-on-governed",
        lambda: uat(grants("schema", "mlops_uat.x", ml__engineers=["ALL_PRIVILEGES"])),
        [
            (
                "grants-mlops_uat.x",
                "'ml-engineers' holds ALL_PRIVILEGES on schema 'mlops_uat.x': only the deployer "
                "and the platform admins may",
            ),
        ],
    ),
    (
        "authoritative-grants-only",
        "grants",
        lambda: uat(grants("schema", "mlops_uat.x", ml__engineers=["SELECT"])),
        [],
    ),
    (
        "authoritative-grants-only",
        "grant-on-development",
        lambda: uat(
            resource(
                "databricks:index/grant:Grant",
                "g",
                schema="mlops_dev.x",
                principal="ml-data-scientists",
                privileges=["SELECT"],
            )
        ),
        [],
    ),
    (
        "authoritative-grants-only",
        "grant-on-governed",
        lambda: uat(
            resource(
                "databricks:index/grant:Grant",
                "g",
                schema="mlops_uat.x",
                principal="ml-engineers",
                privileges=["SELECT"],
            )
        ),
        [
            (
                "g",
                "databricks.Grant on governed schema 'mlops_uat.x' leaves grants made by hand "
                "in place: use one authoritative databricks.Grants per securable",
            ),
        ],
    ),
    (
        "authoritative-grants-only",
        "sql-permissions",
        lambda: uat(resource("databricks:index/sqlPermissions:SqlPermissions", "p", table="t")),
        [
            ("p", "SqlPermissions bypass Unity Catalog: use databricks.Grants"),
        ],
    ),
    (
        "one-grants-per-securable",
        "one-per-securable",
        lambda: uat(
            grants("catalog", "mlops_uat_evidence", ml__auditors=["USE_CATALOG"]),
            grants("schema", "mlops_uat_evidence.audit_evidence", ml__auditors=["SELECT"]),
            grants("table", "mlops_uat_evidence.audit_evidence", ml__auditors=["SELECT"]),
            resource(
                GRANT_TYPE,
                "additive",
                schema="mlops_dev.x",
                principal="ml-data-scientists",
                privileges=["SELECT"],
            ),
            grants("schema", "mlops_dev.x", ml__data__scientists=["USE_SCHEMA"]),
        ),
        [],
    ),
    (
        "one-grants-per-securable",
        "the-evidence-schema-twice-in-another-case",
        lambda: uat(
            grants("catalog", "mlops_uat_evidence", ml__auditors=["USE_CATALOG"]),
            grants("schema", "mlops_uat_evidence.audit_evidence", ml__auditors=["SELECT"]),
            grants(
                "schema", "MLOPS_UAT_EVIDENCE.`audit_evidence`", ml__platform__admins=["SELECT"]
            ),
        ),
        [
            (
                "grants-mlops_uat_evidence.audit_evidence",
                f"urn:pulumi:uat::mlops-estate::{GRANTS_TYPE}::"
                "grants-MLOPS_UAT_EVIDENCE.`audit_evidence` declares the grants on schema "
                "'mlops_uat_evidence.audit_evidence' too: whichever is applied last overwrites "
                "the other's; declare one databricks.Grants per securable",
            ),
            (
                "grants-MLOPS_UAT_EVIDENCE.`audit_evidence`",
                f"urn:pulumi:uat::mlops-estate::{GRANTS_TYPE}::"
                "grants-mlops_uat_evidence.audit_evidence declares the grants on schema "
                "'mlops_uat_evidence.audit_evidence' too: whichever is applied last overwrites "
                "the other's; declare one databricks.Grants per securable",
            ),
        ],
    ),
    ("no-deprecated-binding-resource", "workspace-binding", lambda: uat(*bound("a")), []),
    (
        "no-deprecated-binding-resource",
        "catalog-workspace-binding",
        lambda: uat(
            resource(
                "databricks:index/catalogWorkspaceBinding:CatalogWorkspaceBinding",
                "b",
                catalogName="a",
                workspaceId="1001",
            )
        ),
        [
            (
                "b",
                "databricks.CatalogWorkspaceBinding is deprecated: use databricks.WorkspaceBinding",
            ),
        ],
    ),
    (
        "workspace-bindings-well-formed",
        "as-the-provider-takes-them",
        lambda: uat(
            binding("mlops_uat"),
            binding("mlops_uat", OTHER_WORKSPACE, binding_type="BINDING_TYPE_READ_ONLY"),
            binding("uat-credential", securable_type="storage_credential"),
            binding("uat-location", securable_type="external_location"),
            binding("uat-service", securable_type="credential"),
            # Unset, they are "catalog" and BINDING_TYPE_READ_WRITE.
            resource(
                "databricks:index/workspaceBinding:WorkspaceBinding",
                "defaults",
                securableName="mlops_uat",
                workspaceId=OWN_WORKSPACE,
            ),
        ),
        [],
    ),
    (
        "workspace-bindings-well-formed",
        "spelled-otherwise",
        lambda: uat(
            binding("mlops_uat", OTHER_WORKSPACE, securable_type="CATALOG", name="upper"),
            binding("mlops_uat", OTHER_WORKSPACE, securable_type="Catalog", name="title"),
            binding("mlops_uat", securable_type="metastore", name="metastore"),
            binding(
                "mlops_uat",
                OTHER_WORKSPACE,
                binding_type="binding_type_read_write",
                name="lower-binding-type",
            ),
        ),
        [
            (
                "upper",
                "securable_type 'CATALOG' is not one the provider takes: catalog, credential, "
                "external_location, storage_credential, in lowercase",
            ),
            (
                "title",
                "securable_type 'Catalog' is not one the provider takes: catalog, credential, "
                "external_location, storage_credential, in lowercase",
            ),
            (
                "metastore",
                "securable_type 'metastore' is not one the provider takes: catalog, "
                "credential, external_location, storage_credential, in lowercase",
            ),
            (
                "lower-binding-type",
                "binding_type 'binding_type_read_write' is not one the provider takes: "
                "BINDING_TYPE_READ_WRITE or BINDING_TYPE_READ_ONLY",
            ),
        ],
    ),
    (
        "deployment-folder-locked",
        "read-and-run",
        lambda: uat(
            folder_permissions("/Deployments/x", ml__engineers="CAN_RUN", ml__auditors="CAN_READ")
        ),
        [],
    ),
    (
        "deployment-folder-locked",
        "manage-for-humans",
        lambda: uat(folder_permissions("/Deployments/x", ml__engineers="CAN_MANAGE")),
        [
            (
                "acl/Deployments/x",
                "'ml-engineers' holds CAN_MANAGE on a locked folder: humans may hold only "
                "CAN_READ or CAN_RUN; only CI/CD writes here",
            ),
        ],
    ),
    (
        "deployment-folder-locked",
        "edit-for-humans",
        lambda: uat(folder_permissions("/PRValidation", ml__engineers="CAN_EDIT")),
        [
            (
                "acl/PRValidation",
                "'ml-engineers' holds CAN_EDIT on a locked folder: humans may hold only "
                "CAN_READ or CAN_RUN; only CI/CD writes here",
            ),
        ],
    ),
    (
        "no-deployments-under-shared-or-users",
        "locked-root",
        lambda: uat(resource("databricks:index/directory:Directory", "d", path="/Deployments")),
        [],
    ),
    (
        "no-deployments-under-shared-or-users",
        "shared",
        lambda: uat(resource("databricks:index/directory:Directory", "d", path="/Shared/x")),
        [
            (
                "d",
                "path '/Shared/x' lies under /Shared or /Users, where humans can write: use a "
                "locked folder such as /Deployments/<project>",
            ),
        ],
    ),
    (
        "no-deployments-under-shared-or-users",
        "users-notebook",
        lambda: uat(
            resource("databricks:index/notebook:Notebook", "n", path="/Users/a@contoso.com/n")
        ),
        [
            (
                "n",
                "path '/Users/a@contoso.com/n' lies under /Shared or /Users, where humans can "
                "write: use a locked folder such as /Deployments/<project>",
            ),
        ],
    ),
    (
        "no-deployments-under-shared-or-users",
        "permission-under-shared",
        lambda: uat(folder_permissions("/Shared", ml__engineers="CAN_READ")),
        [
            (
                "acl/Shared",
                "directoryPath '/Shared' lies under /Shared or /Users, where humans can write: "
                "use a locked folder such as /Deployments/<project>",
            ),
        ],
    ),
    (
        "jobs-run-as-service-principal",
        "service-principal",
        lambda: uat(resource(JOB, "j", runAs={"servicePrincipalName": DEPLOYER})),
        [],
    ),
    (
        "jobs-run-as-service-principal",
        "user",
        lambda: uat(resource(JOB, "j", runAs={"userName": "a@contoso.com"})),
        [
            (
                "j",
                "runs as the user 'a@contoso.com': set run_as.service_principal_name to the "
                "deployer's application id",
            ),
        ],
    ),
    (
        "jobs-run-as-service-principal",
        "creator",
        lambda: uat(resource("databricks:index/pipeline:Pipeline", "p", name="p")),
        [
            (
                "p",
                "runs as its creator: set run_as.service_principal_name to the deployer's "
                "application id",
            ),
        ],
    ),
    (
        "prod-humans-no-cluster-create",
        "prod-without",
        lambda: prod(
            resource(ENTITLEMENTS, "e", "prod", groupId="1", allowClusterCreate=False),
            resource(ENTITLEMENTS, "sp", "prod", servicePrincipalId="2", allowClusterCreate=True),
        ),
        [],
    ),
    (
        "prod-humans-no-cluster-create",
        "uat-may",
        lambda: uat(resource(ENTITLEMENTS, "e", groupId="1", allowClusterCreate=True)),
        [],
    ),
    (
        "prod-humans-no-cluster-create",
        "prod-group",
        lambda: prod(
            resource(ENTITLEMENTS, "e", "prod", groupId="1", allowInstancePoolCreate=True)
        ),
        [
            ("e", "allowInstancePoolCreate is true for humans in Prod: set it to false"),
        ],
    ),
    (
        "prod-humans-no-cluster-create",
        "prod-user",
        lambda: prod(
            resource(
                "databricks:index/user:User",
                "u",
                "prod",
                userName="a@contoso.com",
                allowClusterCreate=True,
            )
        ),
        [
            ("u", "allowClusterCreate is true for humans in Prod: set it to false"),
        ],
    ),
    ("workspace-hardened", "premium-no-public-ip", lambda: uat(), []),
    (
        "workspace-hardened",
        "standard",
        lambda: environment("uat", sku={"name": "standard"}),
        [
            ("workspace", 'SKU is standard: set sku name "premium" (Unity Catalog and ACLs)'),
        ],
    ),
    (
        "workspace-hardened",
        "public-ip",
        lambda: environment("uat", parameters={}),
        [
            (
                "workspace",
                "secure cluster connectivity is off: set parameters.enable_no_public_ip value true",
            ),
        ],
    ),
    ("prod-protected", "protected", lambda: prod(*bound("mlops_prod", "prod")), []),
    ("prod-protected", "uat-needs-no-protection", lambda: uat(*bound("mlops_uat")), []),
    (
        "prod-protected",
        "unprotected-catalog",
        lambda: prod(catalog("mlops_prod", "prod"), binding("mlops_prod", stack="prod")),
        [
            ("mlops_prod", "not protected in Prod: set protect=True (or retain_on_delete=True)"),
        ],
    ),
    (
        "prod-protected",
        "force-destroy",
        lambda: prod(*bound("mlops_prod", "prod", forceDestroy=True)),
        [
            ("mlops_prod", "force_destroy is set on a Prod catalog: remove it"),
        ],
    ),
    (
        "prod-protected",
        "unprotected-storage",
        lambda: prod(resource(ACCOUNT, "st", "prod", **HARDENED_ACCOUNT)),
        [
            ("st", "not protected in Prod: set protect=True (or retain_on_delete=True)"),
        ],
    ),
    (
        "prod-protected",
        "retained-is-kept",
        lambda: prod(
            dataclasses.replace(
                resource(ACCOUNT, "st", "prod", **HARDENED_ACCOUNT), retain_on_delete=True
            )
        ),
        [],
    ),
    (
        "storage-isolated",
        "isolated-and-bound",
        lambda: uat(
            *storage("storageCredential:StorageCredential", "c"),
            *storage("externalLocation:ExternalLocation", "l"),
        ),
        [],
    ),
    (
        "storage-isolated",
        "open",
        lambda: uat(*storage("storageCredential:StorageCredential", "c", "ISOLATION_MODE_OPEN")),
        [
            (
                "c",
                "isolation mode is ISOLATION_MODE_OPEN: set "
                'isolation_mode="ISOLATION_MODE_ISOLATED"',
            ),
        ],
    ),
    (
        "storage-isolated",
        "bound-elsewhere",
        lambda: uat(*storage("externalLocation:ExternalLocation", "l", workspace="2002")),
        [
            (
                "l",
                "external_location 'l' is not bound to this stack's workspace: add a "
                'databricks.WorkspaceBinding with securable_type "external_location"',
            ),
            ("l", "external_location 'l' is bound to workspace 2002: remove that binding"),
        ],
    ),
    (
        "no-long-lived-secrets",
        "federated-providers",
        lambda: uat(resource("pulumi:providers:databricks", "p", host="https://x")),
        [],
    ),
    (
        "no-long-lived-secrets",
        "token",
        lambda: uat(resource("databricks:index/token:Token", "t", lifetimeSeconds=3600)),
        [
            (
                "t",
                "Token creates a long-lived secret: authenticate with a federated managed "
                "identity (GitHub Actions OIDC) instead",
            ),
        ],
    ),
    (
        "no-long-lived-secrets",
        "service-principal-secret",
        lambda: uat(
            resource(
                "databricks:index/servicePrincipalSecret:ServicePrincipalSecret",
                "s",
                servicePrincipalId="1",
            )
        ),
        [
            (
                "s",
                "ServicePrincipalSecret creates a long-lived secret: authenticate with a "
                "federated managed identity (GitHub Actions OIDC) instead",
            ),
        ],
    ),
    (
        "no-long-lived-secrets",
        "provider-client-secret",
        lambda: uat(resource("pulumi:providers:azure-native", "a", clientSecret="x")),
        [
            (
                "a",
                "the provider is given clientSecret: authenticate by federation (OIDC) or the "
                "Azure CLI instead",
            ),
        ],
    ),
    (
        "storage-account-hardened",
        "hardened",
        lambda: uat(resource(ACCOUNT, "st", **HARDENED_ACCOUNT)),
        [],
    ),
    (
        "storage-account-hardened",
        "tls-1-0",
        lambda: uat(resource(ACCOUNT, "st", **{**HARDENED_ACCOUNT, "minimumTlsVersion": "TLS1_0"})),
        [
            (
                "st",
                'minimum TLS is TLS1_0: set minimum_tls_version="TLS1_2", the highest minimum '
                "Azure Storage accepts",
            ),
        ],
    ),
    (
        "storage-account-hardened",
        "public-blobs-and-http",
        lambda: uat(resource(ACCOUNT, "st", minimumTlsVersion="TLS1_2")),
        [
            ("st", "HTTPS-only is not set: set enable_https_traffic_only=True"),
            ("st", "public blob access is not disabled: set allow_blob_public_access=False"),
        ],
    ),
    (
        "tokens-for-service-principals-only",
        "deployer",
        lambda: uat(
            resource(
                "databricks:index/permissions:Permissions",
                "t",
                authorization="tokens",
                accessControls=[{"servicePrincipalName": DEPLOYER, "permissionLevel": "CAN_USE"}],
            )
        ),
        [],
    ),
    (
        "tokens-for-service-principals-only",
        "group",
        lambda: uat(
            resource(
                "databricks:index/permissions:Permissions",
                "t",
                authorization="tokens",
                accessControls=[{"groupName": "users", "permissionLevel": "CAN_USE"}],
            )
        ),
        [
            (
                "t",
                "'users' may use tokens (CAN_USE): grant CAN_USE on tokens only to service "
                "principals",
            ),
        ],
    ),
    (
        "prod-workspace-registry-read-only",
        "read",
        lambda: prod(
            resource(
                "databricks:index/permissions:Permissions",
                "r",
                "prod",
                registeredModelId="root",
                accessControls=[{"groupName": "ml-engineers", "permissionLevel": "CAN_READ"}],
            )
        ),
        [],
    ),
    (
        "prod-workspace-registry-read-only",
        "edit",
        lambda: prod(
            resource(
                "databricks:index/permissions:Permissions",
                "r",
                "prod",
                registeredModelId="root",
                accessControls=[{"groupName": "ml-engineers", "permissionLevel": "CAN_EDIT"}],
            )
        ),
        [
            ("r", "'ml-engineers' holds CAN_EDIT on the Prod model registry: give humans CAN_READ"),
        ],
    ),
    ("public-network-access-disabled", "disabled", lambda: uat(), []),
    (
        "public-network-access-disabled",
        "enabled",
        lambda: environment("uat", publicNetworkAccess="Enabled"),
        [
            (
                "workspace",
                'public network access is enabled: set public_network_access "Disabled" and '
                "reach the workspace through private link",
            ),
        ],
    ),
    (
        "service-principals-declared",
        "deployer-and-runner",
        lambda: uat(
            grants("catalog", "mlops_uat", **{DEPLOYER: ["ALL_PRIVILEGES"], RUNNER: ["MANAGE"]})
        ),
        [],
    ),
    (
        "service-principals-declared",
        "look-alike-uuid",
        lambda: uat(grants("catalog", "mlops_uat", **{FOREIGN_SP: ["MANAGE"]})),
        [
            (
                "grants-mlops_uat",
                "a grant names the service principal '12345678-1234-4123-8123-123456789abc', "
                "which the config does not declare: only the deployer and the platform runner "
                "are trusted",
            ),
        ],
    ),
    (
        "service-principals-declared",
        "one-left-unknown-beside-a-foreign-one",
        lambda: uat(
            resource(
                GRANTS_TYPE,
                "g",
                storageCredential="prod_catalog_storage",
                grants=[
                    {"principal": FOREIGN_SP, "privileges": ["ALL_PRIVILEGES"]},
                    {"principal": UNKNOWN_STRING_VALUE, "privileges": ["ALL_PRIVILEGES"]},
                ],
                property_dependencies={"grants": (deployer_sp("uat"),)},
            )
        ),
        [
            (
                "g",
                "a grant names the service principal '12345678-1234-4123-8123-123456789abc', "
                "which the config does not declare: only the deployer and the platform runner "
                "are trusted",
            ),
            (
                "g",
                "names a principal left unknown while the deployer's application id is known: "
                "name only the deployer or the platform runner",
            ),
        ],
    ),
    (
        "service-principals-declared",
        "foreign-run-as",
        lambda: uat(resource(JOB, "j", runAs={"servicePrincipalName": FOREIGN_SP})),
        [
            (
                "j",
                "run_as names the service principal '12345678-1234-4123-8123-123456789abc', "
                "which the config does not declare: only the deployer and the platform runner "
                "are trusted",
            ),
        ],
    ),
    (
        "service-principals-declared",
        "second-service-principal",
        lambda: uat(
            resource(
                SERVICE_PRINCIPAL,
                "sp2",
                applicationId=FOREIGN_SP,
                displayName="id-mlops-deployer-uat",
            )
        ),
        [
            (
                "sp2",
                "the service principal names the service principal "
                "'12345678-1234-4123-8123-123456789abc', which the config does not declare: "
                "only the deployer and the platform runner are trusted",
            ),
        ],
    ),
    (
        "no-workspace-admins",
        "user",
        lambda: uat(
            resource(
                MWS_ASSIGNMENT,
                "a",
                principalId="1",
                workspaceId=OWN_WORKSPACE,
                permissions=["USER"],
            )
        ),
        [],
    ),
    (
        "no-workspace-admins",
        "admin",
        lambda: uat(
            resource(
                MWS_ASSIGNMENT,
                "a",
                principalId="1",
                workspaceId=OWN_WORKSPACE,
                permissions=["ADMIN"],
            )
        ),
        [
            ("a", 'makes its principal a workspace admin: assign permissions ["USER"] only'),
        ],
    ),
    (
        "no-workspace-admins",
        "account-admin-role",
        lambda: uat(
            resource("databricks:index/groupRole:GroupRole", "r", groupId="1", role="account_admin")
        ),
        [
            (
                "r",
                "assigns the role 'account_admin': roles (account admin, marketplace admin, "
                "instance profiles) are not the estate's to give",
            ),
        ],
    ),
    (
        "workspace-access-declared",
        "persona-group",
        lambda: uat(
            resource(
                "databricks:index/permissionAssignment:PermissionAssignment",
                "a",
                groupName="ml-engineers",
                permissions=["USER"],
            )
        ),
        [],
    ),
    (
        "workspace-access-declared",
        "other-group",
        lambda: uat(
            resource(
                "databricks:index/permissionAssignment:PermissionAssignment",
                "a",
                groupName="contractors",
                permissions=["USER"],
            )
        ),
        [
            ("a", "assigns the group 'contractors', which is not a persona group of the config"),
        ],
    ),
    (
        "workspace-access-declared",
        "user",
        lambda: uat(
            resource(
                "databricks:index/permissionAssignment:PermissionAssignment",
                "a",
                userName="eve@contoso.com",
                permissions=["USER"],
            )
        ),
        [
            ("a", "assigns 'eve@contoso.com' by name: assign only persona groups"),
        ],
    ),
    (
        "workspace-access-declared",
        "another-workspace",
        lambda: uat(
            resource(
                MWS_ASSIGNMENT,
                "a",
                workspaceId=OTHER_WORKSPACE,
                principalId=DEPLOYER_SP_ID,
                permissions=["USER"],
            ),
            resource(
                MWS_ASSIGNMENT,
                "computed",
                workspaceId=OTHER_WORKSPACE,
                principalId=DEPLOYER_SP_ID,
                permissions=["USER"],
                property_dependencies={
                    "workspaceId": (
                        "urn:pulumi:uat::mlops-estate::azure-native:databricks:Workspace::workspace",
                    )
                },
            ),
        ),
        [
            (name, f"assigns a principal to the workspace '{OTHER_WORKSPACE}', not the stack's own")
            for name in ("a", "computed")
        ],
    ),
    (
        "group-membership-declared",
        "prod-deployer-joins-promoters",
        lambda: prod(
            resource(
                GROUP_MEMBER,
                "m",
                "prod",
                groupId="7",
                memberId=DEPLOYER_SP_ID,
            ),
        ),
        [],
    ),
    (
        "group-membership-declared",
        "while-the-deployer-is-unknown-too",
        lambda: [
            *(
                dataclasses.replace(r, props={**r.props, "id": UNKNOWN_STRING_VALUE})
                if r.name == "deployer"
                else r
                for r in prod()
            ),
            resource(
                GROUP_MEMBER,
                "m",
                "prod",
                groupId="7",
                memberId=UNKNOWN_STRING_VALUE,
                property_dependencies={"memberId": (deployer_sp("prod"),)},
            ),
        ],
        [],
    ),
    (
        "group-membership-declared",
        "left-unknown-while-the-deployer-is-known",
        lambda: prod(
            resource(
                GROUP_MEMBER,
                "m",
                "prod",
                groupId="7",
                memberId=UNKNOWN_STRING_VALUE,
                property_dependencies={"memberId": (deployer_sp("prod"),)},
            )
        ),
        [("m", "adds a value left unknown to a group: only the Prod deployer joins a group")],
    ),
    (
        "group-membership-declared",
        "a-value-computed-from-the-deployer",
        lambda: prod(
            resource(
                GROUP_MEMBER,
                "m",
                "prod",
                groupId="7",
                memberId="99",
                property_dependencies={"memberId": (deployer_sp("prod"),)},
            )
        ),
        [("m", "adds '99' to a group: only the Prod deployer joins a group")],
    ),
    (
        "group-membership-declared",
        "a-group-the-plan-did-not-see-looked-up",
        lambda: (
            prod(resource(GROUP_MEMBER, "m", "prod", groupId="1015", memberId=DEPLOYER_SP_ID)),
            trust("prod"),
            [],
        ),
        [
            (
                "m",
                "the group '1015' is not one the program looked up: the deployer joins only "
                "the promotion readers group 'ml-prod-model-promoters', found by its name",
            )
        ],
    ),
    (
        "group-membership-declared",
        "someone-else",
        lambda: prod(resource(GROUP_MEMBER, "m", "prod", groupId="7", memberId="99")),
        [
            ("m", "adds '99' to a group: only the Prod deployer joins a group"),
        ],
    ),
    (
        "group-membership-declared",
        "in-uat",
        lambda: uat(resource(GROUP_MEMBER, "m", groupId="7", memberId="99")),
        [
            (
                "m",
                "UAT manages no group membership: only Prod's deployer joins the promotion group",
            ),
        ],
    ),
    (
        "no-service-principal-impersonation",
        "platform",
        lambda: uat(
            resource(
                RULE_SET,
                "rs",
                grantRules=[
                    {
                        "principals": [
                            "groups/ml-platform-admins",
                            f"servicePrincipals/{DEPLOYER}",
                        ],
                        "role": "roles/servicePrincipal.user",
                    }
                ],
            )
        ),
        [],
    ),
    (
        "no-service-principal-impersonation",
        "look-alike",
        lambda: uat(
            resource(
                RULE_SET,
                "rs",
                grantRules=[
                    {
                        "principals": ["servicePrincipals/12345678-1234-4123-8123-123456789abc"],
                        "role": "roles/servicePrincipal.manager",
                    }
                ],
            )
        ),
        [
            (
                "rs",
                "gives 'servicePrincipals/12345678-1234-4123-8123-123456789abc' the role "
                "'roles/servicePrincipal.manager': only platform principals may act as, or "
                "manage, a service principal or group",
            ),
        ],
    ),
    (
        "no-service-principal-impersonation",
        "humans",
        lambda: uat(
            resource(
                RULE_SET,
                "rs",
                grantRules=[
                    {
                        "principals": ["groups/ml-engineers", "users/eve@contoso.com"],
                        "role": "roles/servicePrincipal.user",
                    }
                ],
            )
        ),
        [
            (
                "rs",
                "gives 'groups/ml-engineers' the role 'roles/servicePrincipal.user': only "
                "platform principals may act as, or manage, a service principal or group",
            ),
            (
                "rs",
                "gives 'users/eve@contoso.com' the role 'roles/servicePrincipal.user': only "
                "platform principals may act as, or manage, a service principal or group",
            ),
        ],
    ),
    (
        "account-principals-declared",
        "deployer-and-promoters",
        lambda: uat(resource(GROUP, "g", displayName="ml-prod-model-promoters")),
        [],
    ),
    (
        "account-principals-declared",
        "user-and-group",
        lambda: prod(
            resource(USER, "u", "prod", userName="eve@contoso.com"),
            resource(GROUP, "g", "prod", displayName="ml-prod-model-promoters"),
        ),
        [
            (
                "u",
                "creates the user 'eve@contoso.com': humans come from the persona groups "
                "synced from Entra ID",
            ),
            (
                "g",
                "creates the group 'ml-prod-model-promoters': the estate creates only the "
                "promotion readers group, in UAT",
            ),
        ],
    ),
    (
        "federated-credentials-restricted",
        "environment",
        lambda: uat(federated("repo:contoso/ml-projects:environment:uat")),
        [],
    ),
    (
        "federated-credentials-restricted",
        "pull-request",
        lambda: uat(federated("repo:contoso/ml-projects:pull_request")),
        [
            (
                "fic",
                "trusts the subject 'repo:contoso/ml-projects:pull_request': only "
                "repo:contoso/ml-projects:environment:uat (a GitHub environment, never a "
                "branch, tag or pull request)",
            ),
        ],
    ),
    (
        "federated-credentials-restricted",
        "other-identity-and-issuer",
        lambda: uat(
            federated(
                "repo:contoso/ml-projects:environment:uat",
                resourceName="id-other",
                issuer="https://evil.example",
            )
        ),
        [
            (
                "fic",
                "federates the identity 'id-other': only the deployer, "
                "'id-mlops-deployer-uat', is federated",
            ),
            (
                "fic",
                "trusts the issuer 'https://evil.example': only "
                "https://token.actions.githubusercontent.com",
            ),
        ],
    ),
    (
        "federation-policies-restricted",
        "service-principal-environment",
        lambda: uat(
            resource(
                SP_FEDERATION,
                "f",
                servicePrincipalId=int(DEPLOYER_SP_ID),
                oidcPolicy={
                    "issuer": GITHUB,
                    "subject": "repo:contoso/ml-projects:environment:uat",
                },
            )
        ),
        [],
    ),
    (
        "federation-policies-restricted",
        "another-service-principal",
        lambda: uat(
            resource(
                SP_FEDERATION,
                "f",
                servicePrincipalId=31337,
                oidcPolicy={
                    "issuer": GITHUB,
                    "subject": "repo:contoso/ml-projects:environment:uat",
                },
            )
        ),
        [
            (
                "f",
                "federates the service principal 31337: only the deployer is federated, and "
                "any service principal may be an admin",
            )
        ],
    ),
    (
        "federation-policies-restricted",
        "whole-organisation",
        lambda: uat(
            resource(
                SP_FEDERATION,
                "f",
                servicePrincipalId=int(DEPLOYER_SP_ID),
                oidcPolicy={
                    "issuer": GITHUB,
                    "subjectClaim": "repository_owner",
                    "subject": "contoso",
                },
            ),
            resource(
                "databricks:index/accountFederationPolicy:AccountFederationPolicy",
                "a",
                oidcPolicy={"issuer": GITHUB},
            ),
        ),
        [
            (
                "f",
                "trusts repository_owner 'contoso': only the subjects "
                "repo:contoso/ml-projects:environment:uat",
            ),
            (
                "a",
                "an account federation policy lets tokens of its issuer sign in as any "
                "matching user: the estate federates only its deployer",
            ),
        ],
    ),
    (
        "owners-are-platform-principals",
        "platform",
        lambda: uat(catalog("a", owner="ml-platform-admins"), catalog("b", owner=DEPLOYER)),
        [],
    ),
    (
        "owners-are-platform-principals",
        "persona-group",
        lambda: uat(
            resource(SCHEMA_TYPE, "s", catalogName="mlops_uat", name="s", owner="ml-engineers")
        ),
        [
            (
                "s",
                "owned by 'ml-engineers', not a platform principal: an owner may grant "
                "anything on it; set owner to the deployer or the platform admins group",
            ),
        ],
    ),
    (
        "owner-is-not-a-person",
        "account-users",
        lambda: uat(
            resource(SCHEMA_TYPE, "s", catalogName="mlops_uat", name="s", owner="account users"),
            resource(
                "databricks:index/volume:Volume",
                "v",
                catalogName="mlops_uat",
                schemaName="s",
                name="v",
                volumeType="MANAGED",
                owner="eve@contoso.com",
            ),
        ),
        [
            ("s", "owned by 'account users', which is everyone: set owner to a platform principal"),
            (
                "v",
                "owned by the user 'eve@contoso.com': set owner to a group or a service principal",
            ),
        ],
    ),
    (
        "metastore-securables-platform-only",
        "platform",
        lambda: uat(
            grants("externalLocation", "uat_catalog_root", ml__platform__admins=["BROWSE"])
        ),
        [],
    ),
    (
        "metastore-securables-platform-only",
        "humans",
        lambda: uat(
            grants("externalLocation", "uat_catalog_root", ml__engineers=["READ_FILES"]),
            grants("metastore", METASTORE, ml__data__scientists=["CREATE_CATALOG"]),
        ),
        [
            (
                "grants-uat_catalog_root",
                "'ml-engineers' holds READ_FILES on external_location 'uat_catalog_root': "
                "only platform principals hold privileges outside catalogs",
            ),
            (
                "grants-44444444-4444-4444-8444-444444444444",
                "'ml-data-scientists' holds CREATE_CATALOG on the metastore "
                "'44444444-4444-4444-8444-444444444444': it is shared by every workspace "
                "assigned to it, the other environment's too; grant nothing on the metastore",
            ),
        ],
    ),
    (
        "metastore-securables-platform-only",
        "nothing-on-the-metastore",
        lambda: uat(
            resource(GRANT_TYPE, "no-privilege", metastore=METASTORE, principal=DEPLOYER),
        ),
        [],
    ),
    (
        "metastore-securables-platform-only",
        "the-metastore-to-platform-principals",
        lambda: uat(
            grants(
                "metastore",
                METASTORE,
                **{DEPLOYER: ["MANAGE_ALLOWLIST"]},
                ml__platform__admins=["CREATE_CATALOG", "CREATE_EXTERNAL_LOCATION"],
            ),
            resource(
                GRANT_TYPE,
                "runner",
                metastore=METASTORE,
                principal=RUNNER,
                privileges=["CREATE_STORAGE_CREDENTIAL"],
            ),
            resource(GRANTS_TYPE, "revokes-all", metastore=METASTORE, grants=[]),
        ),
        [
            (
                "revokes-all",
                "declares every grant on the metastore '44444444-4444-4444-8444-444444444444': "
                "databricks.Grants replaces them, those of every workspace assigned to it; "
                "grant nothing on the metastore",
            ),
            (
                "grants-44444444-4444-4444-8444-444444444444",
                f"{DEPLOYER!r} holds MANAGE_ALLOWLIST on the metastore "
                "'44444444-4444-4444-8444-444444444444': it is shared by every workspace "
                "assigned to it, the other environment's too; grant nothing on the metastore",
            ),
            (
                "grants-44444444-4444-4444-8444-444444444444",
                "'ml-platform-admins' holds CREATE_CATALOG, CREATE_EXTERNAL_LOCATION on the "
                "metastore '44444444-4444-4444-8444-444444444444': it is shared by every "
                "workspace assigned to it, the other environment's too; grant nothing on the "
                "metastore",
            ),
            (
                "runner",
                f"{RUNNER!r} holds CREATE_STORAGE_CREDENTIAL on the metastore "
                "'44444444-4444-4444-8444-444444444444': it is shared by every workspace "
                "assigned to it, the other environment's too; grant nothing on the metastore",
            ),
        ],
    ),
    (
        "no-delta-sharing-of-governed-data",
        "governed-and-token",
        lambda: uat(
            resource(
                SHARE_TYPE,
                "s",
                name="s",
                objects=[{"name": "mlops_uat.churn_features.t", "dataObjectType": "TABLE"}],
            ),
            resource(RECIPIENT_TYPE, "r", name="r", authenticationType="TOKEN"),
        ),
        [
            (
                "s",
                "shares 'mlops_uat.churn_features.t' of a governed catalog: governed data is "
                "not shared",
            ),
            (
                "r",
                "a TOKEN recipient receives data through a bearer token anyone may hold: use "
                "Databricks-to-Databricks sharing",
            ),
        ],
    ),
    (
        "metastore-assignment-own",
        "own",
        lambda: uat(
            resource(METASTORE_ASSIGNMENT, "m", metastoreId=METASTORE, workspaceId=OWN_WORKSPACE)
        ),
        [],
    ),
    (
        "metastore-assignment-own",
        "other",
        lambda: uat(
            resource(
                METASTORE_ASSIGNMENT,
                "m",
                metastoreId="55555555-5555-4555-8555-555555555555",
                workspaceId=OTHER_WORKSPACE,
            ),
            resource("databricks:index/metastore:Metastore", "new", name="x"),
        ),
        [
            (
                "m",
                "assigns the metastore '55555555-5555-4555-8555-555555555555', not the "
                "configured '44444444-4444-4444-8444-444444444444'",
            ),
            ("m", "assigns the metastore to workspace '2002', not the stack's own"),
            (
                "new",
                "Metastore changes the metastore itself: the estate uses the existing "
                "metastore of the config",
            ),
        ],
    ),
    (
        "object-permissions-read-run-only",
        "read-run",
        lambda: uat(
            resource(
                PERMISSIONS_TYPE,
                "p",
                jobId="1",
                accessControls=[
                    {"groupName": "ml-engineers", "permissionLevel": "CAN_VIEW"},
                    {"servicePrincipalName": DEPLOYER, "permissionLevel": "IS_OWNER"},
                ],
            )
        ),
        [],
    ),
    (
        "object-permissions-read-run-only",
        "manage-a-job",
        lambda: uat(
            resource(
                PERMISSIONS_TYPE,
                "p",
                jobId="1",
                accessControls=[{"groupName": "ml-engineers", "permissionLevel": "CAN_MANAGE"}],
            ),
            resource(
                PERMISSIONS_TYPE,
                "q",
                repoPath="/Repos/x",
                accessControls=[{"userName": "eve@contoso.com", "permissionLevel": "CAN_EDIT"}],
            ),
        ),
        [
            (
                "p",
                "'ml-engineers' holds CAN_MANAGE on jobId 1: humans may hold only "
                "CAN_ATTACH_TO, CAN_QUERY, CAN_READ, CAN_RUN, CAN_USE, CAN_VIEW, "
                "CAN_VIEW_METADATA",
            ),
            (
                "q",
                "'eve@contoso.com' holds CAN_EDIT on repoPath /Repos/x: humans may hold only "
                "CAN_ATTACH_TO, CAN_QUERY, CAN_READ, CAN_RUN, CAN_USE, CAN_VIEW, "
                "CAN_VIEW_METADATA",
            ),
        ],
    ),
    (
        "prod-no-human-cluster-policy",
        "uat",
        lambda: uat(
            resource(
                PERMISSIONS_TYPE,
                "p",
                clusterPolicyId="1",
                accessControls=[{"groupName": "ml-data-scientists", "permissionLevel": "CAN_USE"}],
            )
        ),
        [],
    ),
    (
        "prod-no-human-cluster-policy",
        "prod",
        lambda: prod(
            resource(
                PERMISSIONS_TYPE,
                "p",
                "prod",
                clusterPolicyId="1",
                accessControls=[{"groupName": "ml-data-scientists", "permissionLevel": "CAN_USE"}],
            )
        ),
        [
            (
                "p",
                "'ml-data-scientists' holds CAN_USE on a Prod cluster policy: humans create "
                "no compute in Prod",
            ),
        ],
    ),
    (
        "workspace-conf-hardened",
        "hardened",
        lambda: uat(
            resource(
                CONF,
                "c",
                customConfig={
                    "enforceWorkspaceViewAcls": "true",
                    "enableVerboseAuditLogs": "true",
                    "enableTokensConfig": "false",
                    "maxTokenLifetimeDays": "30",
                },
            )
        ),
        [],
    ),
    (
        "workspace-conf-hardened",
        "weakened",
        lambda: uat(
            resource(
                CONF,
                "c",
                customConfig={"enforceWorkspaceViewAcls": "false", "maxTokenLifetimeDays": "3650"},
            )
        ),
        [
            (
                "c",
                "enforceWorkspaceViewAcls is 'false': view ACLs stay enforced; set it to \"true\"",
            ),
            ("c", "maxTokenLifetimeDays is '3650': at most the config's 90"),
            (
                "c",
                "enableTokensConfig is 'unset': the config keeps personal access tokens off; set "
                'it to "false" (the estate authenticates with Entra ID and OIDC)',
            ),
            (
                "c",
                "enableVerboseAuditLogs is 'unset': the audit logs keep the text of each command "
                'and query; set it to "true"',
            ),
        ],
    ),
    (
        "cluster-policies-unity-catalog-only",
        "single-user-and-family",
        lambda: uat(
            resource(
                POLICY,
                "p",
                definition='{"data_security_mode": {"type": "fixed", "value": "SINGLE_USER"}}',
            ),
            resource(POLICY, "q", policyFamilyId="personal-vm"),
        ),
        [],
    ),
    (
        "cluster-policies-unity-catalog-only",
        "no-isolation",
        lambda: uat(
            resource(
                POLICY, "p", definition='{"data_security_mode": {"type": "fixed", "value": "NONE"}}'
            ),
            resource(POLICY, "q", policyFamilyId="legacy-shared-compute"),
        ),
        [
            (
                "p",
                "data_security_mode is not fixed to a Unity Catalog access mode: clusters "
                "could run without Unity Catalog's isolation",
            ),
            (
                "q",
                "the policy family 'legacy-shared-compute' is not reviewed: use a definition "
                "that fixes data_security_mode",
            ),
        ],
    ),
    (
        "storage-account-private",
        "private",
        lambda: uat(
            resource(
                ACCOUNT,
                "st",
                **HARDENED_ACCOUNT,
                allowSharedKeyAccess=False,
                publicNetworkAccess="Disabled",
            ),
            resource(CONTAINER, "c", publicAccess="None"),
        ),
        [],
    ),
    (
        "storage-account-private",
        "shared-keys-and-open",
        lambda: uat(
            resource(ACCOUNT, "st", **HARDENED_ACCOUNT),
            resource(CONTAINER, "c", publicAccess="Blob"),
        ),
        [
            (
                "st",
                "shared key access is not disabled: anyone with an account key reads "
                "everything; set allow_shared_key_access=False",
            ),
            (
                "st",
                "the account is reachable from any network: set public_network_access "
                '"Disabled", or a network rule set whose default action is "Deny"',
            ),
            ("c", 'the container is public (Blob): set public_access "None"'),
        ],
    ),
    (
        "role-assignments-declared-principals",
        "connector-and-reader",
        lambda: uat(
            role(BLOB_CONTRIBUTOR, CONNECTOR_OBJECT, "connector-blob"),
            role(READER_ROLE, "12121212-1212-4121-8121-121212121212", "anyone-reads"),
        ),
        [],
    ),
    (
        "role-assignments-declared-principals",
        "owner-and-human",
        lambda: uat(
            role(OWNER_ROLE, RUNNER_OBJECT, "owner"),
            role(BLOB_OWNER, "12121212-1212-4121-8121-121212121212", "human-data-owner"),
        ),
        [
            (
                "owner",
                "assigns the role 8e3af657-a8ff-443c-a75c-2fe8c4bcb635, which grants roles to "
                "others: the stack assigns none of those",
            ),
            (
                "human-data-owner",
                "assigns the role b7e6dc6d-f1e8-4753-8033-0f276bb0955b to "
                "'12121212-1212-4121-8121-121212121212', a principal the stack does not "
                "declare: only the deployer identity, the access connector and the runner",
            ),
        ],
    ),
    (
        "estate-deploys-no-workloads",
        "access-lists-on-deployed-workloads",
        lambda: uat(folder_permissions("/Deployments/mlops")),
        [],
    ),
    (
        "estate-deploys-no-workloads",
        "code-in-the-estate-stack",
        lambda: uat(
            resource(JOB, "job", runAs={"servicePrincipalName": DEPLOYER}),
            resource(
                "databricks:index/notebook:Notebook",
                "notebook",
                path="/Deployments/mlops/grant",
                language="PYTHON",
            ),
        ),
        [
            (
                name,
                "deploys a workload from the estate stack, whose identity manages the estate: "
                "deploy it with a bundle",
            )
            for name in ("job", "notebook")
        ],
    ),
    (
        "azure-resources-in-own-scope",
        "own",
        lambda: uat(
            resource(CONTAINER, "c", resourceGroupName="rg-mlops-uat", publicAccess="None"),
            role(BLOB_CONTRIBUTOR, CONNECTOR_OBJECT, "on-the-group"),
        ),
        [],
    ),
    (
        "azure-resources-in-own-scope",
        "role-scopes-above-or-beside-the-group",
        lambda: uat(
            *(
                dataclasses.replace(
                    role(READER_ROLE, CONNECTOR_OBJECT, name),
                    props={**role(READER_ROLE, CONNECTOR_OBJECT, name).props, "scope": scope},
                )
                for name, scope in ROLE_SCOPES_OUTSIDE.items()
            )
        ),
        [
            (
                name,
                f"assigns a role at the scope {scope.lower()!r}, outside the configured "
                "resource group 'rg-mlops-uat': a role applies to everything below its scope",
            )
            for name, scope in ROLE_SCOPES_OUTSIDE.items()
        ],
    ),
    (
        "azure-resources-in-own-scope",
        "elsewhere",
        lambda: uat(
            resource(
                ACCESS_CONNECTOR_TYPE,
                "ac",
                connectorName="x",
                resourceGroupName="rg-other",
                location="eastus",
            )
        ),
        [
            ("ac", "lives in the resource group 'rg-other', not the configured 'rg-mlops-uat'"),
            ("ac", "lives in 'eastus', not the configured region 'westeurope'"),
        ],
    ),
    (
        "unreviewed-resource-type",
        "allowed",
        lambda: allowing(
            "random:index/randomId:RandomId", resource("random:index/randomId:RandomId", "r")
        ),
        [],
    ),
    (
        "unreviewed-resource-type",
        "unknown-and-dynamic",
        lambda: uat(
            resource("databricks:index/cluster:Cluster", "c", clusterName="x"),
            resource("pulumi-python:dynamic:Resource", "d"),
        ),
        [
            (
                "c",
                "databricks:index/cluster:Cluster is a type no rule reviews, so it could "
                "grant or widen access unseen: use a reviewed type, or allow it in "
                "allowed_resource_types with a reason",
            ),
            (
                "d",
                "pulumi-python:dynamic:Resource is a type no rule reviews, so it could grant "
                "or widen access unseen: use a reviewed type, or allow it in "
                "allowed_resource_types with a reason",
            ),
        ],
    ),
    (
        "unreviewed-resource-type",
        "posing-as-a-component",
        lambda: uat(
            resource("pulumi:providers:mlops-estate", "default_1_0_0"),
            resource("mlops-estate:azure:AzureWorkspace", "posing", custom=True),
        ),
        [
            (
                "default_1_0_0",
                "pulumi:providers:mlops-estate is a type no rule reviews, so it could grant or "
                "widen access unseen: use a reviewed type, or allow it in "
                "allowed_resource_types with a reason",
            ),
            (
                "posing",
                "mlops-estate:azure:AzureWorkspace is a type no rule reviews, so it could grant "
                "or widen access unseen: use a reviewed type, or allow it in "
                "allowed_resource_types with a reason",
            ),
        ],
    ),
    ("providers-target-own-estate", "own", lambda: uat(), []),
    (
        "providers-target-own-estate",
        "a-workspace-id-that-is-no-string",
        lambda: uat(
            resource(
                "pulumi:providers:databricks",
                "listed",
                host="https://adb-1001.1.azuredatabricks.net",
                azureWorkspaceResourceId=[UAT_WORKSPACE_ID],
            ),
        ),
        [
            (
                "listed",
                "the Databricks provider's azure_workspace_resource_id is "
                f"['{UAT_WORKSPACE_ID}'], not the configured workspace {UAT_WORKSPACE_ID}",
            ),
        ],
    ),
    (
        "providers-target-own-estate",
        "routed-to-another-workspace",
        lambda: uat(
            resource(
                PERMISSIONS_TYPE,
                "routed",
                clusterPolicyId="p",
                providerConfig={"workspaceId": OTHER_WORKSPACE},
                accessControls=[{"groupName": "ml-engineers", "permissionLevel": "CAN_USE"}],
            ),
            resource(
                "pulumi:providers:databricks",
                "account-elsewhere",
                host="https://accounts.azuredatabricks.net",
                accountId=ACCOUNT_ID,
                workspaceId=OTHER_WORKSPACE,
            ),
        ),
        [
            (
                "routed",
                "sets provider_config, which routes it to a workspace of its choosing: remove it",
            ),
            (
                "account-elsewhere",
                "the provider sets workspace_id, which routes its resources to that workspace",
            ),
        ],
    ),
    (
        "providers-target-own-estate",
        "elsewhere",
        lambda: uat(
            resource(
                "pulumi:providers:databricks",
                "other",
                host="https://adb-9.9.azuredatabricks.net",
                azureWorkspaceResourceId="/subscriptions/x/resourceGroups/y/providers/"
                "Microsoft.Databricks/workspaces/z",
            ),
            resource(
                "pulumi:providers:azure-native",
                "other-sub",
                subscriptionId="99999999-9999-4999-8999-999999999999",
                tenantId=TENANT,
            ),
            resource(
                CATALOG_TYPE,
                "defaulted",
                provider="",
                name="x",
                isolationMode="ISOLATED",
                owner=DEPLOYER,
            ),
        ),
        [
            (
                "other",
                "the Databricks provider's azure_workspace_resource_id is "
                "/subscriptions/x/resourceGroups/y/providers/Microsoft.Databricks/workspaces/z, "
                "not the configured workspace "
                "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-mlops-uat/providers/Microsoft.Databricks/workspaces/dbw-mlops-uat",
            ),
            (
                "other",
                "the Databricks provider's host is https://adb-9.9.azuredatabricks.net, not "
                "the stack's own workspace (adb-1001.1.azuredatabricks.net)",
            ),
            (
                "other-sub",
                "the azure-native provider's subscriptionId is "
                "99999999-9999-4999-8999-999999999999, not the stack's "
                "11111111-1111-4111-8111-111111111111",
            ),
            (
                "defaulted",
                "managed by a default provider, whose target comes from the environment of "
                "whoever runs Pulumi: pass the stack's explicit provider",
            ),
        ],
    ),
    ("one-databricks-workspace", "one", lambda: uat(), []),
    (
        "one-databricks-workspace",
        "second",
        lambda: uat(
            resource(
                WORKSPACE_TYPE,
                "second",
                workspaceName="dbw-shadow",
                workspaceId="3003",
                sku={"name": "premium"},
                parameters={"enableNoPublicIp": {"value": True}},
                publicNetworkAccess="Disabled",
            )
        ),
        [
            (
                "second",
                "a second Azure Databricks workspace ('dbw-shadow') in the stack whose "
                "workspace is 'dbw-mlops-uat': remove it",
            ),
        ],
    ),
    (
        "no-long-lived-secrets",
        "secret-and-git-credential",
        lambda: uat(
            resource("databricks:index/secret:Secret", "s", scope="x", key="k"),
            resource("databricks:index/gitCredential:GitCredential", "g", gitProvider="gitHub"),
            resource(
                "databricks:index/connection:Connection",
                "c",
                name="c",
                options={"host": "db", "password": "x"},
            ),
        ),
        [
            (
                "s",
                "Secret creates a long-lived secret: authenticate with a federated managed "
                "identity (GitHub Actions OIDC) instead",
            ),
            (
                "g",
                "GitCredential creates a long-lived secret: authenticate with a federated "
                "managed identity (GitHub Actions OIDC) instead",
            ),
            (
                "c",
                "the connection stores a credential: use a Unity Catalog service credential "
                "or a managed identity instead",
            ),
        ],
    ),
    # --- What a real deployment needs --------------------------------------------------------
    (
        "privileges-apply-to-securable",
        "browse-on-a-catalog",
        lambda: uat(grants("catalog", "mlops_uat", ml__auditors=["BROWSE", "USE_CATALOG"])),
        [],
    ),
    (
        "privileges-apply-to-securable",
        "browse-on-a-schema",
        lambda: uat(
            grants("schema", "mlops_uat.churn_models", ml__auditors=["BROWSE", "USE_SCHEMA"])
        ),
        [
            (
                "grants-mlops_uat.churn_models",
                "grants 'ml-auditors' BROWSE, which a schema does not take (schema "
                "'mlops_uat.churn_models')",
            ),
        ],
    ),
    (
        "service-principals-compute-by-policy",
        "by-policy",
        lambda: uat(resource(ENTITLEMENTS, "e", servicePrincipalId="1", allowClusterCreate=False)),
        [],
    ),
    (
        "service-principals-compute-by-policy",
        "unrestricted",
        lambda: prod(resource(ENTITLEMENTS, "e", servicePrincipalId="1", allowClusterCreate=True)),
        [
            (
                "e",
                "allowClusterCreate is true for a service principal: it could create compute "
                "outside its cluster policy; set it to false",
            ),
        ],
    ),
    (
        "entitlements-only-for-assigned-principals",
        "users-consume-and-an-assigned-persona",
        lambda: (
            uat(
                resource(ENTITLEMENTS, "users", groupId="7", workspaceConsume=True),
                resource(
                    MWS_ASSIGNMENT,
                    "engineers-in",
                    workspaceId=OWN_WORKSPACE,
                    principalId="41",
                    permissions=["USER"],
                ),
                resource(ENTITLEMENTS, "engineers", groupId="41", workspaceAccess=True),
            ),
            trust("uat"),
            [USERS_LOOKUP],
        ),
        [],
    ),
    (
        "entitlements-only-for-assigned-principals",
        "unassigned-or-twice",
        lambda: uat(
            resource(ENTITLEMENTS, "users", groupId="7", databricksSqlAccess=True),
            resource(
                MWS_ASSIGNMENT,
                "engineers-elsewhere",
                workspaceId=OTHER_WORKSPACE,
                principalId="41",
                permissions=["USER"],
            ),
            resource(ENTITLEMENTS, "engineers", groupId="41", workspaceAccess=True),
            resource(ENTITLEMENTS, "users-again", groupId="7", workspaceConsume=True),
        ),
        [
            (
                "users",
                "entitles '7', as Entitlements users-again does: two resources would "
                "overwrite each other's entitlements",
            ),
            (
                "users",
                "gives '7', which the stack does not assign to its workspace (the users group, "
                "for one), databricksSqlAccess: such principals hold consumer access at most",
            ),
            (
                "users-again",
                "entitles '7', as Entitlements users does: two resources would overwrite "
                "each other's entitlements",
            ),
            (
                "engineers",
                "gives '41', which the stack does not assign to its workspace (the users "
                "group, for one), workspaceAccess: such principals hold consumer access at most",
            ),
        ],
    ),
    (
        "entitlements-only-for-assigned-principals",
        "users-group-left-alone",
        lambda: (uat(), trust("uat"), [USERS_LOOKUP]),
        [
            (
                "workspace",
                "the workspace's users group keeps its default entitlements (workspace and "
                "Databricks SQL access for every user): manage them, consumer access only",
            ),
        ],
    ),
    (
        "token-permissions-need-tokens",
        "managed",
        lambda: (
            uat(resource(PERMISSIONS_TYPE, "tokens", authorization="tokens")),
            dataclasses.replace(trust("uat"), tokens_enabled=True, token_permissions_managed=True),
        ),
        [],
    ),
    (
        "token-permissions-need-tokens",
        "tokens-off",
        lambda: uat(resource(PERMISSIONS_TYPE, "tokens", authorization="tokens")),
        [
            (
                "tokens",
                "manages token permissions, which the config does not: Databricks answers "
                '"tokens tokens does not exist" until tokens are on and one exists',
            ),
        ],
    ),
    ("personal-compute-delegated", "delegated", lambda: prod(), []),
    (
        "personal-compute-delegated",
        "on",
        lambda: (prod(), dataclasses.replace(trust("prod"), personal_compute="ON")),
        [
            (
                "workspace",
                "the account's Personal Compute setting is ON: every Prod user can create "
                "personal compute through the built-in Personal Compute policy",
            ),
        ],
    ),
    (
        "workspace-assignment-after-metastore",
        "after",
        lambda: uat(
            metastore_assignment(), waiting(resource(MWS_ASSIGNMENT, "a"), metastore_assignment())
        ),
        [],
    ),
    (
        "workspace-assignment-after-metastore",
        "before",
        lambda: uat(metastore_assignment(), resource(MWS_ASSIGNMENT, "a")),
        [
            (
                "a",
                "does not wait for the workspace's metastore assignment: the API answers "
                '"Permission assignment APIs are not available for this workspace" until then',
            ),
        ],
    ),
    (
        "workspace-principals-visible",
        "after-a-wait",
        lambda: assigned_then(
            lambda _, wait: waiting(resource(ENTITLEMENTS, "e", groupId="7"), wait),
            lambda _, __: resource(ENTITLEMENTS, "not-assigned", groupId="8"),
        ),
        [],
    ),
    (
        "workspace-principals-visible",
        "too-soon",
        lambda: assigned_then(
            lambda _, wait: waiting(
                resource(ENTITLEMENTS, "e", groupId="7"),
                dataclasses.replace(wait, urn=wait.urn + "-elsewhere"),
            ),
            lambda assignment, _: waiting(
                resource(PERMISSIONS_TYPE, "p", directoryPath="/x"), assignment
            ),
        ),
        [
            (
                "e",
                "does not wait 60 s after the workspace assignments of the principals it names: "
                "a principal assigned moments before may not be in the workspace yet",
            ),
            (
                "p",
                "does not wait 60 s after the workspace assignments of the principals it names: "
                "a principal assigned moments before may not be in the workspace yet",
            ),
        ],
    ),
    (
        "external-location-after-storage-access",
        "after-a-wait",
        lambda: uat(
            catalog_account(),
            connector_role(),
            waiting(sleep("2m"), connector_role()),
            waiting(located(), waiting(sleep("2m"), connector_role())),
        ),
        [],
    ),
    (
        "external-location-after-storage-access",
        "after-a-wait-for-another-role",
        lambda: uat(
            catalog_account(),
            connector_role(READER_ROLE),
            waiting(sleep("2m"), connector_role(READER_ROLE)),
            waiting(located(), waiting(sleep("2m"), connector_role(READER_ROLE))),
        ),
        [
            (
                "loc",
                "does not wait 120 s after the access connector's role assignment: Azure role "
                "assignments take up to 10 minutes to take effect",
            ),
        ],
    ),
    (
        "external-location-after-storage-access",
        "no-wait",
        lambda: uat(catalog_account(), connector_role(), waiting(located(), connector_role())),
        [
            (
                "loc",
                "does not wait 120 s after the access connector's role assignment: Azure role "
                "assignments take up to 10 minutes to take effect",
            ),
        ],
    ),
    (
        "federated-credentials-one-at-a-time",
        "chained",
        lambda: uat(
            federated_named("one"), waiting(federated_named("two"), federated_named("one"))
        ),
        [],
    ),
    (
        "federated-credentials-one-at-a-time",
        "concurrent-on-the-identity-in-capitals",
        lambda: uat(federated_named("one"), respelled(federated_named("two"), str.upper)),
        [
            (
                "two",
                "may be written at the same time as one, on the same identity: Azure answers "
                "409 to concurrent federated credential writes",
            ),
            (
                "one",
                "may be written at the same time as two, on the same identity: Azure answers "
                "409 to concurrent federated credential writes",
            ),
        ],
    ),
    (
        "federated-credentials-one-at-a-time",
        "concurrent",
        lambda: uat(federated_named("one"), federated_named("two")),
        [
            (
                "two",
                "may be written at the same time as one, on the same identity: Azure answers "
                "409 to concurrent federated credential writes",
            ),
            (
                "one",
                "may be written at the same time as two, on the same identity: Azure answers "
                "409 to concurrent federated credential writes",
            ),
        ],
    ),
    (
        "deploy-waits-are-plain",
        "a-minute",
        lambda: uat(
            sleep("1m"),
            resource(TIME_PROVIDER_TYPE, "default_0_1_1", version="0.1.1"),
        ),
        [],
    ),
    (
        "deploy-waits-are-plain",
        "a-day-on-destroy-too",
        lambda: uat(
            sleep("24h", destroyDuration="1h"),
            resource(TIME_PROVIDER_TYPE, "tp", endpoint="https://x"),
            dataclasses.replace(
                resource(SLEEP_TYPE, "adopted", createDuration="60s"), imported=True
            ),
        ),
        [
            ("wait", "create_duration is '24h': a Go duration of at most 30m, such as 60s"),
            ("wait", "destroy_duration delays every deletion: leave it out"),
            ("tp", "the time provider is configured (endpoint): it needs nothing"),
            ("adopted", "is imported: an adopted sleep never waits; create it"),
            (
                "adopted",
                "has no triggers: a sleep created once never waits for what is added later; "
                "set triggers from what it waits for",
            ),
        ],
    ),
    # --- Keys, logs, system tables and evidence ----------------------------------------------
    (
        "prod-customer-managed-keys",
        "keys-of-the-vault",
        lambda: prod(),
        [],
    ),
    (
        "prod-customer-managed-keys",
        "microsoft-managed-or-another-vault",
        lambda: [
            *environment("prod", encryption={"entities": encrypted_entities("kv-elsewhere")}),
        ],
        [
            (
                "workspace",
                f"{entity} is not encrypted with a key of the Key Vault kv-mlops-prod-keys: "
                "Prod uses customer-managed keys",
            )
            for entity in ("managedServices", "managedDisk")
        ],
    ),
    (
        "key-vaults-protected",
        "rbac-purge-protected-firewalled",
        lambda: uat(
            resource(
                KEY_VAULT_TYPE,
                "vault",
                vaultName="kv-mlops-uat-keys",
                properties={
                    "enableRbacAuthorization": True,
                    "enablePurgeProtection": True,
                    "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"},
                },
            )
        ),
        [],
    ),
    (
        "key-vaults-protected",
        "another-vault-open-and-purgeable",
        lambda: uat(
            resource(
                KEY_VAULT_TYPE,
                "vault",
                vaultName="kv-other",
                properties={"enableSoftDelete": False},
            )
        ),
        [
            ("vault", "the vault 'kv-other' is not the configured 'kv-mlops-uat-keys'"),
            ("vault", "enable_rbac_authorization is not true: the vault would use access policies"),
            (
                "vault",
                "enable_purge_protection is not true: a deleted key could be purged for good",
            ),
            ("vault", "enable_soft_delete is false: a deleted key would be gone at once"),
            (
                "vault",
                'network_acls default_action is not "Deny": the vault is open to every network',
            ),
        ],
    ),
    (
        "keys-expire-and-rotate",
        "expiring-and-rotated",
        lambda: uat(
            resource(
                KEY_TYPE,
                "key",
                vaultName="kv-mlops-uat-keys",
                properties={
                    "attributes": {"expires": 1830297600},
                    "rotationPolicy": {
                        "attributes": {"expiryTime": "P365D"},
                        "lifetimeActions": [
                            {"action": {"type": "rotate"}, "trigger": {"timeBeforeExpiry": "P30D"}}
                        ],
                    },
                },
            )
        ),
        [],
    ),
    (
        "keys-expire-and-rotate",
        "forever-and-notified-only",
        lambda: uat(
            resource(
                KEY_TYPE,
                "key",
                vaultName="kv-other",
                properties={
                    "rotationPolicy": {
                        "lifetimeActions": [
                            {"action": {"type": "notify"}, "trigger": {"timeBeforeExpiry": "P30D"}}
                        ]
                    }
                },
            )
        ),
        [
            ("key", "the key is in 'kv-other', not the configured 'kv-mlops-uat-keys'"),
            ("key", "attributes.expires is unset: the key never expires"),
            ("key", "rotation_policy sets no expiry_time: rotated versions never expire"),
            ("key", "rotation_policy has no rotate action: the key is never rotated"),
        ],
    ),
    (
        "workspace-logs-collected",
        "everything-to-the-estate",
        lambda: uat(),
        [],
    ),
    (
        "workspace-logs-collected",
        "copied-out-or-missing",
        lambda: [
            *(r for r in uat() if r.name != "workspace-logs"),
            resource(
                DIAGNOSTIC_SETTING_TYPE,
                "exfil",
                resourceUri=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-prod/x",
                workspaceId="/subscriptions/x/resourceGroups/y/providers/"
                "Microsoft.OperationalInsights/workspaces/theirs",
                storageAccountId="/subscriptions/x/resourceGroups/y/providers/"
                "Microsoft.Storage/storageAccounts/theirs",
                logs=[{"categoryGroup": "allLogs", "enabled": True}],
            ),
            resource(LOG_ANALYTICS_TYPE, "second-logs", workspaceName="log-other"),
        ],
        [
            (
                "exfil",
                f"diagnoses '/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-prod/x', "
                "outside the configured resource group",
            ),
            (
                "exfil",
                "sends logs to storageAccountId '/subscriptions/x/resourceGroups/y/providers/"
                "Microsoft.Storage/storageAccounts/theirs': only to the estate's Log Analytics "
                "workspace",
            ),
            (
                "exfil",
                "sends logs to '/subscriptions/x/resourceGroups/y/providers/"
                "Microsoft.OperationalInsights/workspaces/theirs', not the estate's Log "
                "Analytics workspace",
            ),
            (
                "second-logs",
                "the Log Analytics workspace 'log-other' is not the configured 'log-mlops-uat'",
            ),
            (
                "workspace",
                "no diagnostic setting sends all the logs of the workspace (allLogs) to the "
                "estate's Log Analytics workspace",
            ),
        ],
    ),
    (
        "keys-expire-and-rotate",
        "disabled-or-rotated-too-late",
        lambda: uat(
            resource(
                KEY_TYPE,
                "key",
                vaultName="kv-mlops-uat-keys",
                properties={
                    "attributes": {"enabled": False, "expires": 1830297600},
                    "rotationPolicy": {
                        "attributes": {"expiryTime": "P1Y"},
                        "lifetimeActions": [
                            {"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P13M"}},
                            {"action": {"type": "Rotate"}, "trigger": {"timeBeforeExpiry": "30d"}},
                        ],
                    },
                },
            )
        ),
        [
            ("key", "attributes.enabled is false: what the key encrypts cannot be read"),
            (
                "key",
                "rotation_policy expiry_time 'P1Y' may outlast encryption.key_lifetime_days "
                "(365 days): rotated versions would live longer than the config lets a key "
                "version live",
            ),
            (
                "key",
                "time_after_create 'P13M' is not surely 7 days shorter than the expiry_time "
                "'P1Y': Key Vault rotates a version no sooner than 7 days after its creation "
                "and no later than 7 days before its expiry",
            ),
            ("key", "time_before_expiry '30d' is not an ISO 8601 duration such as 'P30D'"),
        ],
    ),
    (
        "keys-expire-and-rotate",
        "at-key-vaults-and-the-configs-bounds",
        lambda: uat(
            rotated_key("shortest", "P28D", timeBeforeExpiry="P7D"),
            rotated_key("rotated-last", "P28D", timeAfterCreate="P21D"),
            rotated_key("longest", "P365D", timeBeforeExpiry="P358D"),
        ),
        [],
    ),
    (
        "keys-expire-and-rotate",
        "longer-than-a-shorter-configured-lifetime",
        lambda: (
            uat(rotated_key("a-year", "P365D", timeBeforeExpiry="P30D")),
            dataclasses.replace(trust("uat"), key_lifetime_days=90),
        ),
        [
            (
                "a-year",
                "rotation_policy expiry_time 'P365D' may outlast encryption.key_lifetime_days "
                "(90 days): rotated versions would live longer than the config lets a key "
                "version live",
            ),
        ],
    ),
    (
        "keys-expire-and-rotate",
        "past-key-vaults-or-the-configs-bounds",
        lambda: uat(
            rotated_key("too-short", "P27D", timeBeforeExpiry="P7D"),
            rotated_key("too-long", "P366D", timeBeforeExpiry="P30D"),
            rotated_key("a-century", "P100Y", timeAfterCreate="P99Y"),
            rotated_key("at-expiry", "P365D", timeBeforeExpiry="P0D"),
            rotated_key("at-creation", "P28D", timeAfterCreate="P6D"),
            rotated_key("too-late", "P28D", timeAfterCreate="P22D"),
            rotated_key("too-soon", "P365D", timeBeforeExpiry="P359D"),
        ),
        [
            (
                "too-short",
                "rotation_policy expiry_time 'P27D' is under 28 days: Key Vault refuses a "
                "shorter lifetime",
            ),
            (
                "too-long",
                "rotation_policy expiry_time 'P366D' may outlast encryption.key_lifetime_days "
                "(365 days): rotated versions would live longer than the config lets a key "
                "version live",
            ),
            (
                "a-century",
                "rotation_policy expiry_time 'P100Y' may outlast encryption.key_lifetime_days "
                "(365 days): rotated versions would live longer than the config lets a key "
                "version live",
            ),
            (
                "at-expiry",
                "time_before_expiry 'P0D' is under 7 days: Key Vault rotates a version no "
                "sooner than 7 days after its creation and no later than 7 days before its "
                "expiry",
            ),
            (
                "at-creation",
                "time_after_create 'P6D' is under 7 days: Key Vault rotates a version no "
                "sooner than 7 days after its creation and no later than 7 days before its "
                "expiry",
            ),
            (
                "too-late",
                "time_after_create 'P22D' is not surely 7 days shorter than the expiry_time "
                "'P28D': Key Vault rotates a version no sooner than 7 days after its creation "
                "and no later than 7 days before its expiry",
            ),
            (
                "too-soon",
                "time_before_expiry 'P359D' is not surely 7 days shorter than the expiry_time "
                "'P365D': Key Vault rotates a version no sooner than 7 days after its creation "
                "and no later than 7 days before its expiry",
            ),
        ],
    ),
    (
        "keys-wrap-only",
        "wrap-and-unwrap",
        lambda: uat(
            resource(KEY_TYPE, "key", properties={"keyOps": ["wrapKey", "unwrapKey"]}),
        ),
        [],
    ),
    (
        "keys-wrap-only",
        "every-operation",
        lambda: uat(
            resource(KEY_TYPE, "unset", properties={"kty": "RSA"}),
            resource(KEY_TYPE, "decrypts", properties={"keyOps": ["wrapKey", "decrypt", "sign"]}),
        ),
        [
            ("unset", "key_ops is unset: the key permits every operation of its type"),
            ("decrypts", "key_ops permits decrypt, sign: only wrapKey and unwrapKey"),
        ],
    ),
    (
        "workspace-logs-collected",
        "weaker-or-declared-twice",
        lambda: uat(
            resource(
                DIAGNOSTIC_SETTING_TYPE,
                "audit-only",
                name="audit-only",
                resourceUri=UAT_WORKSPACE_ID,
                workspaceId=UAT_LOGS_ID,
                logs=[{"categoryGroup": "audit", "enabled": True}],
            ),
            resource(
                DIAGNOSTIC_SETTING_TYPE,
                "first",
                name="to-estate-logs",
                resourceUri=UAT_WORKSPACE_ID,
                workspaceId=UAT_LOGS_ID,
                logs=[{"categoryGroup": "allLogs", "enabled": True}],
            ),
            resource(
                DIAGNOSTIC_SETTING_TYPE,
                "twin",
                name="TO-ESTATE-LOGS",
                resourceUri=UAT_WORKSPACE_ID.upper(),
                workspaceId=UAT_LOGS_ID,
                logs=[
                    {"categoryGroup": "allLogs", "enabled": True},
                    {"category": "accounts", "enabled": False},
                ],
            ),
        ),
        [
            (
                "audit-only",
                "does not send allLogs (category_group allLogs, enabled): every diagnostic "
                "setting sends all the logs of what it diagnoses",
            ),
            ("twin", "turns off the logs 'accounts'"),
            (
                "twin",
                "urn:pulumi:uat::mlops-estate::azure-native:monitor:DiagnosticSetting::first "
                "declares the same diagnostic setting ('TO-ESTATE-LOGS' on "
                f"'{UAT_WORKSPACE_ID.upper()}'): one would replace the other, and deleting "
                "either deletes both",
            ),
            (
                "first",
                "urn:pulumi:uat::mlops-estate::azure-native:monitor:DiagnosticSetting::twin "
                "declares the same diagnostic setting ('to-estate-logs' on "
                f"'{UAT_WORKSPACE_ID}'): one would replace the other, and deleting either "
                "deletes both",
            ),
        ],
    ),
    (
        "logs-out-of-reach",
        "reading-and-blob-data",
        lambda: uat(
            role(BLOB_CONTRIBUTOR, CONNECTOR_OBJECT, "connector-blob"),
            scoped(role(READER_ROLE, DEPLOYER_OBJECT, "deployer-reads-logs"), UAT_LOGS_ID),
        ),
        [],
    ),
    (
        "logs-out-of-reach",
        "purge-or-edit-diagnostics",
        lambda: uat(
            role(CONTRIBUTOR_ROLE, DEPLOYER_OBJECT, "deployer-contributes"),
            scoped(
                role(DATA_PURGER_ROLE, RUNNER_OBJECT, "runner-purges"),
                f"{UAT_LOGS_ID}/tables/DatabricksAccounts",
            ),
        ),
        [
            (
                "deployer-contributes",
                f"assigns the role {CONTRIBUTOR_ROLE} at "
                f"'/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat', which reaches the "
                "resource group: a role beyond reading there can delete, purge or redirect the "
                "estate's logs",
            ),
            (
                "runner-purges",
                f"assigns the role {DATA_PURGER_ROLE} at '{UAT_LOGS_ID}/tables/"
                "DatabricksAccounts', which reaches the Log Analytics workspace: a role beyond "
                "reading there can delete, purge or redirect the estate's logs",
            ),
        ],
    ),
    (
        "system-schemas-declared-once",
        "uat-enables-what-it-lists",
        lambda: uat(resource(SYSTEM_SCHEMA_TYPE, "access", protect=True, schema="access")),
        [],
    ),
    (
        "system-schemas-declared-once",
        "billing-unlisted-or-in-prod",
        lambda: [
            *uat(
                resource(SYSTEM_SCHEMA_TYPE, "billing", protect=True, schema="billing"),
                resource(SYSTEM_SCHEMA_TYPE, "storage", protect=True, schema="storage"),
                resource(SYSTEM_SCHEMA_TYPE, "query", schema="query"),
            )
        ],
        [
            ("billing", "the system schema 'billing' is enabled by Databricks: do not declare it"),
            ("storage", "the system schema 'storage' is not in evidence.system_schemas"),
            (
                "query",
                "not protected: deleting it would disable it for every workspace of the metastore",
            ),
        ],
    ),
    (
        "system-schemas-declared-once",
        "prod",
        lambda: prod(resource(SYSTEM_SCHEMA_TYPE, "access", "prod", protect=True, schema="access")),
        [
            (
                "access",
                "Prod declares the system schema 'access': UAT enables them for the metastore",
            )
        ],
    ),
    (
        "system-catalog-grants-additive",
        "the-runner-reads",
        lambda: uat(
            resource(
                GRANT_TYPE,
                "g",
                table="system.access.audit",
                principal=RUNNER,
                privileges=["SELECT"],
            )
        ),
        [],
    ),
    (
        "system-catalog-grants-additive",
        "authoritative-human-or-writing",
        lambda: uat(
            resource(
                GRANTS_TYPE,
                "all",
                schema="system.access",
                grants=[{"principal": "ml-auditors", "privileges": ["USE_SCHEMA"]}],
            ),
            resource(GRANT_TYPE, "g", catalog="system", principal=RUNNER, privileges=["MODIFY"]),
        ),
        [
            (
                "all",
                "databricks.Grants on schema 'system.access' would revoke every other team's "
                "grants there: use databricks.Grant",
            ),
            (
                "all",
                "'ml-auditors' is granted on 'system.access': only the platform runner reads the "
                "system tables; others read the evidence views",
            ),
            ("g", "MODIFY on 'system': only read privileges"),
        ],
    ),
    (
        "system-tables-only-through-evidence-views",
        "the-estates-views",
        lambda: uat(
            resource(
                SQL_TABLE_TYPE,
                "events",
                catalogName="mlops_uat_evidence",
                schemaName="audit_evidence",
                name="audit_events",
                tableType="VIEW",
                viewDefinition="SELECT * FROM system.access.audit WHERE "
                f"workspace_id = '{OWN_WORKSPACE}'",
            ),
            resource(
                SQL_TABLE_TYPE,
                "dev-view",
                catalogName="mlops_dev",
                schemaName="feature_development",
                name="features",
                tableType="VIEW",
                viewDefinition="SELECT * FROM mlops_uat.churn_features.t",
            ),
        ),
        [],
    ),
    (
        "system-tables-only-through-evidence-views",
        "audit-re-exposed",
        lambda: uat(
            resource(
                SQL_TABLE_TYPE,
                "in-dev",
                catalogName="mlops_dev",
                schemaName="feature_development",
                name="everything",
                tableType="VIEW",
                viewDefinition="SELECT * FROM `SYSTEM`.access.audit",
            ),
            resource(
                SQL_TABLE_TYPE,
                "unfiltered",
                catalogName="mlops_uat_evidence",
                schemaName="audit_evidence",
                name="audit_events",
                tableType="VIEW",
                viewDefinition="SELECT * FROM system.access.audit",
            ),
            resource(
                SQL_TABLE_TYPE,
                "extra",
                catalogName="mlops_uat_evidence",
                schemaName="audit_evidence",
                name="all_accounts",
                tableType="VIEW",
                viewDefinition="SELECT 1",
            ),
        ),
        [
            (
                "in-dev",
                "the view mlops_dev.feature_development.everything reads the system catalog: "
                "only the evidence views may",
            ),
            (
                "unfiltered",
                f"the view mlops_uat_evidence.audit_evidence.audit_events is not filtered to this "
                f"workspace ({OWN_WORKSPACE})",
            ),
            (
                "extra",
                "'all_accounts' in the evidence schema 'mlops_uat_evidence.audit_evidence': it "
                "holds only the evidence views",
            ),
        ],
    ),
    (
        "role-assignments-declared-principals",
        "roles-on-the-vault",
        lambda: uat(
            dataclasses.replace(
                role("14b46e9e-c2b7-41b4-b07b-48a6ebf60603", RUNNER_OBJECT, "officer"),
                props={
                    **role("14b46e9e-c2b7-41b4-b07b-48a6ebf60603", RUNNER_OBJECT, "officer").props,
                    "scope": KEY_VAULT_ID,
                },
            ),
            dataclasses.replace(
                role("12338af0-0e69-4776-bea7-57ae8d297424", DEPLOYER_OBJECT, "crypto-user"),
                props={
                    **role(
                        "12338af0-0e69-4776-bea7-57ae8d297424", DEPLOYER_OBJECT, "crypto-user"
                    ).props,
                    "scope": f"{KEY_VAULT_ID}/keys/managed-services-key",
                },
            ),
        ),
        [
            (
                "crypto-user",
                "assigns the role 12338af0-0e69-4776-bea7-57ae8d297424 on the Key Vault to "
                f"'{DEPLOYER_OBJECT}': only the runner manages keys (Key Vault Crypto Officer), "
                "and only Azure Databricks' identities use them",
            )
        ],
    ),
    (
        "role-assignments-declared-principals",
        "a-vault-role-spelled-with-a-doubled-slash",
        lambda: uat(
            scoped(
                role("12338af0-0e69-4776-bea7-57ae8d297424", DEPLOYER_OBJECT, "crypto-user"),
                KEY_VAULT_ID.replace("/vaults/", "//vaults/") + "/keys/managed-services-key",
            ),
        ),
        [
            (
                "crypto-user",
                "assigns the role 12338af0-0e69-4776-bea7-57ae8d297424 on the Key Vault to "
                f"'{DEPLOYER_OBJECT}': only the runner manages keys (Key Vault Crypto Officer), "
                "and only Azure Databricks' identities use them",
            )
        ],
    ),
    (
        "auditors-read-evidence",
        "granted",
        lambda: uat(
            resource(
                SCHEMA_TYPE, "evidence", catalogName="mlops_uat_evidence", name="audit_evidence"
            ),
            resource(
                GRANTS_TYPE,
                "evidence-grants",
                schema="mlops_uat_evidence.audit_evidence",
                grants=[{"principal": "ml-auditors", "privileges": ["USE_SCHEMA", "SELECT"]}],
            ),
            resource(
                GRANTS_TYPE,
                "evidence-catalog-grants",
                catalog="mlops_uat_evidence",
                grants=[{"principal": "ml-auditors", "privileges": ["USE_CATALOG"]}],
            ),
        ),
        [],
    ),
    (
        "auditors-read-evidence",
        "not-granted",
        lambda: uat(
            resource(
                SCHEMA_TYPE, "evidence", catalogName="mlops_uat_evidence", name="audit_evidence"
            ),
        ),
        [
            (
                "evidence",
                "the auditors lack USE_CATALOG on the evidence catalog 'mlops_uat_evidence'",
            ),
            (
                "evidence",
                "the auditors lack SELECT, USE_SCHEMA on the evidence schema "
                "'mlops_uat_evidence.audit_evidence'",
            ),
        ],
    ),
    (
        "auditors-read-evidence",
        "schema-granted-catalog-not",
        lambda: uat(
            resource(
                SCHEMA_TYPE, "evidence", catalogName="mlops_uat_evidence", name="audit_evidence"
            ),
            resource(
                GRANTS_TYPE,
                "evidence-grants",
                schema="mlops_uat_evidence.audit_evidence",
                grants=[{"principal": "ml-auditors", "privileges": ["USE_SCHEMA", "SELECT"]}],
            ),
        ),
        [
            (
                "evidence",
                "the auditors lack USE_CATALOG on the evidence catalog 'mlops_uat_evidence'",
            ),
        ],
    ),
    (
        "auditors-read-evidence",
        "granted-by-two-grants-on-the-schema",
        lambda: uat(
            resource(
                SCHEMA_TYPE, "evidence", catalogName="MLOPS_UAT_EVIDENCE", name="audit_evidence"
            ),
            resource(
                GRANTS_TYPE,
                "evidence-catalog-grants",
                catalog="mlops_uat_evidence",
                grants=[{"principal": "ml-auditors", "privileges": ["USE_CATALOG"]}],
            ),
            resource(
                GRANTS_TYPE,
                "evidence-grants",
                schema="mlops_uat_evidence.audit_evidence",
                grants=[{"principal": "ml-auditors", "privileges": ["USE_SCHEMA"]}],
            ),
            resource(
                GRANTS_TYPE,
                "more-evidence-grants",
                schema="mlops_uat_evidence.audit_evidence",
                grants=[{"principal": "ml-auditors", "privileges": ["SELECT"]}],
            ),
        ),
        [
            (
                "evidence",
                "which of the 2 databricks.Grants on the evidence schema "
                "'mlops_uat_evidence.audit_evidence' is applied last decides whether the auditors "
                "hold SELECT, USE_SCHEMA there",
            ),
        ],
    ),
    (
        "role-assignments-declared-principals",
        "azure-databricks-on-a-key-of-the-vault",
        lambda: uat(
            dataclasses.replace(
                role(KEY_USER_ROLE, AZURE_DATABRICKS_OBJECT, "key-user"),
                props={
                    **role(KEY_USER_ROLE, AZURE_DATABRICKS_OBJECT, "key-user").props,
                    "scope": f"{KEY_VAULT_ID}/keys/managed-services-key",
                },
            )
        ),
        [],
    ),
    (
        "role-assignments-declared-principals",
        "a-person-on-a-key-elsewhere",
        lambda: uat(role(KEY_USER_ROLE, "12121212-1212-4121-8121-121212121212", "key-user")),
        [
            (
                "key-user",
                "lets '12121212-1212-4121-8121-121212121212' use the estate's keys: only Azure "
                "Databricks' identities (encryption.azure_databricks_object_id, the workspace's "
                "encryption identities)",
            ),
            (
                "key-user",
                "the key role's scope is not a key of the Key Vault 'kv-mlops-uat-keys'",
            ),
        ],
    ),
    # --- Secrets in credentials and connections; policy JSON; workspace settings; paths ------
    (
        "no-long-lived-secrets",
        "identity-credentials-and-plain-connection",
        lambda: uat(
            resource(
                "databricks:index/storageCredential:StorageCredential",
                "mi",
                name="mi",
                azureManagedIdentity={"accessConnectorId": "/subscriptions/x"},
            ),
            resource(
                "databricks:index/connection:Connection",
                "hms",
                name="hms",
                options={"builtin": "true", "host": "db", "port": "3306", "user": "svc"},
            ),
        ),
        [],
    ),
    (
        "no-long-lived-secrets",
        "credentials-with-secrets",
        lambda: uat(
            resource(
                "databricks:index/storageCredential:StorageCredential",
                "sp",
                name="sp",
                azureServicePrincipal={
                    "applicationId": "a",
                    "directoryId": "d",
                    "clientSecret": "s",
                },
            ),
            resource(
                "databricks:index/credential:Credential",
                "service",
                name="service",
                purpose="SERVICE",
                azureServicePrincipal={
                    "applicationId": "a",
                    "directoryId": "d",
                    "clientSecret": "s",
                },
            ),
            resource(
                "databricks:index/storageCredential:StorageCredential",
                "keys",
                name="keys",
                cloudflareApiToken={"accessKeyId": "a", "accountId": "b", "secretAccessKey": "s"},
                gcpServiceAccountKey={"email": "e", "privateKey": "k", "privateKeyId": "i"},
            ),
        ),
        [
            (
                "sp",
                "StorageCredential holds a long-lived secret (azure_service_principal."
                "client_secret): use azure_managed_identity with the environment's access "
                "connector instead",
            ),
            (
                "service",
                "Credential holds a long-lived secret (azure_service_principal.client_secret): "
                "use azure_managed_identity with the environment's access connector instead",
            ),
            (
                "keys",
                "StorageCredential holds a long-lived secret (cloudflare_api_token."
                "secret_access_key): use azure_managed_identity with the environment's access "
                "connector instead",
            ),
            (
                "keys",
                "StorageCredential holds a long-lived secret (gcp_service_account_key."
                "private_key): use azure_managed_identity with the environment's access "
                "connector instead",
            ),
        ],
    ),
    (
        "no-long-lived-secrets",
        "connection-secrets-by-any-name",
        lambda: uat(
            *(
                resource("databricks:index/connection:Connection", name, name=name, options=options)
                for name, options in (
                    ("bigquery", {"GoogleServiceAccountKeyJson": "{}"}),
                    ("snowflake", {"host": "h", "pem_private_key": "k"}),
                    ("spaced", {"Private Key": "k"}),
                    ("keyjson", {"key json": "{}"}),
                    ("oauth", {"client_id": "i", "client_secret": "s"}),
                    ("r2", {"access key": "k"}),
                    ("pat", {"personalAccessToken": "t"}),
                    ("by-value", {"sa": '{"type": "service_account"}'}),
                )
            )
        ),
        [
            (
                name,
                "the connection stores a credential: use a Unity Catalog service credential "
                "or a managed identity instead",
            )
            for name in (
                "bigquery",
                "snowflake",
                "spaced",
                "keyjson",
                "oauth",
                "r2",
                "pat",
                "by-value",
            )
        ],
    ),
    (
        "cluster-policies-unity-catalog-only",
        "unity-catalog-allowlist",
        lambda: uat(
            resource(
                POLICY,
                "p",
                definition='{"data_security_mode": {"type": "allowlist", '
                '"values": ["SINGLE_USER", "USER_ISOLATION"]}}',
            ),
            resource(
                POLICY,
                "q",
                policyFamilyId="personal-vm",
                policyFamilyDefinitionOverrides='{"autotermination_minutes": '
                '{"type": "fixed", "value": 30}}',
            ),
        ),
        [],
    ),
    (
        "cluster-policies-unity-catalog-only",
        "escaped-open-or-unparseable",
        lambda: uat(
            resource(
                POLICY,
                "escaped",
                policyFamilyId="personal-vm",
                policyFamilyDefinitionOverrides=(
                    r'{"data\u005fsecurity_mode": {"type": "fixed", "value": "NONE"}}'
                ),
            ),
            resource(
                POLICY,
                "blocklist",
                definition='{"data_security_mode": {"type": "blocklist", "values": ["NONE"]}}',
            ),
            resource(
                POLICY,
                "regex",
                definition='{"data_security_mode": {"type": "regex", "pattern": ".*"}}',
            ),
            resource(
                POLICY,
                "mixed",
                definition='{"data_security_mode": {"type": "allowlist", '
                '"values": ["SINGLE_USER", "NONE"]}}',
            ),
            resource(
                POLICY,
                "optional",
                definition='{"data_security_mode": {"type": "allowlist", '
                '"values": ["USER_ISOLATION"], "isOptional": true}}',
            ),
            resource(
                POLICY,
                "repeated",
                definition='{"data_security_mode": {"type": "unlimited"}, '
                '"data_security_mode": {"type": "fixed", "value": "SINGLE_USER"}}',
            ),
            resource(POLICY, "garbled", definition="{data_security_mode: SINGLE_USER}"),
            resource(
                POLICY,
                "garbled-overrides",
                policyFamilyId="personal-vm",
                policyFamilyDefinitionOverrides="{",
            ),
        ),
        [
            ("escaped", "its overrides change data_security_mode: leave the family's mode"),
            *(
                (
                    name,
                    "data_security_mode is not fixed to a Unity Catalog access mode: clusters "
                    "could run without Unity Catalog's isolation",
                )
                for name in ("blocklist", "regex")
            ),
            (
                "mixed",
                "data_security_mode allows NONE: allow only Unity Catalog access modes "
                "(DATA_SECURITY_MODE_DEDICATED, DATA_SECURITY_MODE_STANDARD, SINGLE_USER, "
                "USER_ISOLATION)",
            ),
            (
                "optional",
                "data_security_mode is optional: a cluster that leaves it out runs without "
                "Unity Catalog's isolation; remove isOptional",
            ),
            *(
                (
                    name,
                    "its definition is not a JSON object with unique keys: Databricks could "
                    "read it otherwise than the rules do; write it with json.dumps",
                )
                for name in ("repeated", "garbled")
            ),
            (
                "garbled-overrides",
                "its overrides are not a JSON object with unique keys: Databricks could read "
                "them otherwise than the rules do; write them with json.dumps",
            ),
        ],
    ),
    (
        "workspace-conf-hardened",
        "unreviewed-settings",
        lambda: uat(
            resource(
                CONF,
                "c",
                customConfig={
                    "enableIpAccessLists": "false",
                    "enableDeprecatedGlobalInitScripts": "true",
                    "enableVerboseAuditLogs": "true",
                    "enableTokensConfig": "false",
                    "maxTokenLifetimeDays": "0",
                },
            )
        ),
        [
            *(
                (
                    "c",
                    f"{key} is not a workspace setting the estate reviews: remove it (a "
                    "WorkspaceConf holds only enforceWorkspaceViewAcls, enforceClusterViewAcls, "
                    "enableJobViewAcls, enableVerboseAuditLogs, enableTokensConfig, "
                    "maxTokenLifetimeDays)",
                )
                for key in ("enableIpAccessLists", "enableDeprecatedGlobalInitScripts")
            ),
            ("c", "maxTokenLifetimeDays is '0': at most the config's 90"),
        ],
    ),
    (
        "one-workspace-conf",
        "the-estates-own",
        lambda: uat(
            dataclasses.replace(
                resource(CONF, "uat-hardening-conf"),
                urn="urn:pulumi:uat::mlops-estate::mlops-estate:workspace:WorkspaceHardening$"
                f"{CONF}::uat-hardening-conf",
            )
        ),
        [],
    ),
    (
        "one-workspace-conf",
        "a-second-conf",
        lambda: uat(
            resource(CONF, "shadow", customConfig={"enforceWorkspaceViewAcls": "true"}),
            dataclasses.replace(
                resource(CONF, "uat-hardening-conf"),
                urn="urn:pulumi:uat::mlops-estate::mlops-estate:workspace:WorkspaceHardening$"
                f"{CONF}::uat-hardening-conf",
            ),
        ),
        [
            (
                "shadow",
                "a second WorkspaceConf in the stack (the estate's is 'uat-hardening-conf'): "
                "deleting it would reset every enable* and enforce* setting to false; remove it",
            ),
        ],
    ),
    (
        "no-deployments-under-shared-or-users",
        "normalized-locked-paths",
        lambda: uat(
            resource("databricks:index/directory:Directory", "d", path="/Deployments//mlops"),
            resource("databricks:index/directory:Directory", "e", path="/Deployments/Shared"),
        ),
        [],
    ),
    (
        "no-deployments-under-shared-or-users",
        "doubled-slashes-and-dot-dot",
        lambda: uat(
            resource("databricks:index/directory:Directory", "d", path="//Shared/mlops"),
            resource(
                "databricks:index/directory:Directory", "e", path="/Deployments/../users/a/./x"
            ),
        ),
        [
            (
                "d",
                "path '//Shared/mlops' lies under /Shared or /Users, where humans can write: use "
                "a locked folder such as /Deployments/<project>",
            ),
            (
                "e",
                "path '/Deployments/../users/a/./x' lies under /Shared or /Users, where humans "
                "can write: use a locked folder such as /Deployments/<project>",
            ),
        ],
    ),
    # --- Unity Catalog: another environment's storage, decoys, sharing, spelled privileges ---
    (
        "storage-of-own-environment",
        "own-connector-and-storage-account",
        lambda: (
            uat(
                resource(
                    "databricks:index/storageCredential:StorageCredential",
                    "cred",
                    name="uat_catalog_storage",
                    azureManagedIdentity={
                        "accessConnectorId": "/subscriptions/11111111-1111-4111-8111-111111111111/"
                        "resourceGroups/rg-mlops-uat/providers/Microsoft.Databricks/"
                        "accessConnectors/ac-mlops-uat"
                    },
                ),
                # Unknown in a preview, and from the configured connector only.
                resource(
                    "databricks:index/credential:Credential",
                    "service",
                    name="svc",
                    azureManagedIdentity={"accessConnectorId": UNKNOWN_STRING_VALUE},
                    property_dependencies={"azureManagedIdentity": (CONNECTOR,)},
                ),
                resource(
                    LOCATION_TYPE,
                    "loc",
                    name="uat_catalog_root",
                    url="abfss://catalog@stmlopsuatcatalog.dfs.core.windows.net/",
                ),
                resource(
                    "databricks:index/volume:Volume",
                    "vol",
                    volumeType="EXTERNAL",
                    storageLocation="abfss://catalog@STMLOPSUATCATALOG.dfs.core.windows.net/v",
                ),
                catalog(
                    "mlops_uat",
                    storageRoot="abfss://catalog@stmlopsuatcatalog.dfs.core.windows.net/mlops_uat",
                ),
                resource(SCHEMA_TYPE, "schema", catalogName="mlops_dev", name="s"),
            ),
            dataclasses.replace(trust("uat"), storage_account="stmlopsuatcatalog"),
        ),
        [],
    ),
    (
        "storage-of-own-environment",
        "another-environments-connector-and-storage",
        lambda: (
            uat(
                resource(
                    "databricks:index/storageCredential:StorageCredential",
                    "borrowed",
                    name="borrowed",
                    azureManagedIdentity={
                        "accessConnectorId": "/subscriptions/55555555-5555-4555-8555-555555555555/"
                        "resourceGroups/rg-mlops-prod/providers/Microsoft.Databricks/"
                        "accessConnectors/ac-mlops-prod"
                    },
                ),
                resource(
                    "databricks:index/credential:Credential",
                    "secret-service",
                    name="s",
                    azureServicePrincipal={"applicationId": FOREIGN_SP},
                ),
                resource(
                    "databricks:index/credential:Credential",
                    "computed",
                    name="c",
                    azureManagedIdentity={"accessConnectorId": UNKNOWN_STRING_VALUE},
                    property_dependencies={"azureManagedIdentity": (CONNECTOR, WORKSPACE)},
                ),
                resource(
                    LOCATION_TYPE,
                    "prod-data",
                    name="prod_data",
                    url="abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/",
                ),
                resource(
                    LOCATION_TYPE,
                    "look-alike",
                    name="l",
                    url="abfss://catalog@stmlopsuatcatalog.dfs.core.windows.net.evil.com/",
                ),
                resource(
                    "databricks:index/volume:Volume",
                    "prod-files",
                    volumeType="EXTERNAL",
                    storageLocation="abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/f",
                ),
                resource(
                    "databricks:index/sqlTable:SqlTable",
                    "s3-table",
                    tableType="EXTERNAL",
                    storageLocation="s3://bucket/t",
                ),
                catalog(
                    "elsewhere",
                    storageRoot="abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/x",
                ),
                resource(
                    SCHEMA_TYPE,
                    "prod-rooted",
                    catalogName="mlops_dev",
                    name="p",
                    storageRoot="abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/p",
                ),
            ),
            dataclasses.replace(trust("uat"), storage_account="stmlopsuatcatalog"),
        ),
        [
            (
                "borrowed",
                "uses the access connector '/subscriptions/55555555-5555-4555-8555-555555555555/"
                "resourceGroups/rg-mlops-prod/providers/Microsoft.Databricks/accessConnectors/"
                "ac-mlops-prod', not this stack's: a credential reaches storage and services "
                "through this stack's access connector only; set azure_managed_identity's "
                "access_connector_id to '/subscriptions/11111111-1111-4111-8111-111111111111/"
                "resourceGroups/rg-mlops-uat/providers/Microsoft.Databricks/accessConnectors/"
                "ac-mlops-uat'",
            ),
            (
                "secret-service",
                "uses no access connector: a credential reaches storage and services through "
                "this stack's access connector only; set azure_managed_identity's "
                "access_connector_id to '/subscriptions/11111111-1111-4111-8111-111111111111/"
                "resourceGroups/rg-mlops-uat/providers/Microsoft.Databricks/accessConnectors/"
                "ac-mlops-uat'",
            ),
            (
                "computed",
                "uses an access connector whose id is computed from other resources: a "
                "credential reaches storage and services through this stack's access connector "
                "only; set azure_managed_identity's access_connector_id to "
                "'/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/"
                "rg-mlops-uat/providers/Microsoft.Databricks/accessConnectors/ac-mlops-uat'",
            ),
            (
                "prod-data",
                "url 'abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/' is not in this "
                "stack's storage account ('stmlopsuatcatalog'): use "
                "abfss://<container>@stmlopsuatcatalog.dfs.core.windows.net/<path>",
            ),
            (
                "look-alike",
                "url 'abfss://catalog@stmlopsuatcatalog.dfs.core.windows.net.evil.com/' is not "
                "in this stack's storage account ('stmlopsuatcatalog'): use "
                "abfss://<container>@stmlopsuatcatalog.dfs.core.windows.net/<path>",
            ),
            (
                "prod-files",
                "storage_location 'abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/f' "
                "is not in this stack's storage account ('stmlopsuatcatalog'): use "
                "abfss://<container>@stmlopsuatcatalog.dfs.core.windows.net/<path>",
            ),
            (
                "s3-table",
                "storage_location 's3://bucket/t' is not in this stack's storage account "
                "('stmlopsuatcatalog'): use "
                "abfss://<container>@stmlopsuatcatalog.dfs.core.windows.net/<path>",
            ),
            (
                "elsewhere",
                "storage_root 'abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/x' is not "
                "in this stack's storage account ('stmlopsuatcatalog'): use "
                "abfss://<container>@stmlopsuatcatalog.dfs.core.windows.net/<path>",
            ),
            (
                "prod-rooted",
                "storage_root 'abfss://catalog@stmlopsprodcatalog.dfs.core.windows.net/p' is not "
                "in this stack's storage account ('stmlopsuatcatalog'): use "
                "abfss://<container>@stmlopsuatcatalog.dfs.core.windows.net/<path>",
            ),
        ],
    ),
    (
        "storage-isolated",
        "another-environments-storage-bound-in",
        lambda: uat(
            binding("prod_catalog_root", securable_type="external_location"),
            # Registered under Prod's name (imported, say), in any case: still Prod's.
            *storage("storageCredential:StorageCredential", "prod_catalog_storage"),
            *storage("externalLocation:ExternalLocation", "Prod_Catalog_Root"),
            resource("databricks:index/credential:Credential", "svc", name="svc"),
        ),
        [
            (
                "Prod_Catalog_Root-1001-BINDING_TYPE_READ_WRITE",
                "binds external_location 'Prod_Catalog_Root', which is not this environment's "
                "(uat): a workspace bound to another environment's storage reaches its data; "
                "remove this binding",
            ),
            (
                "prod_catalog_root-1001-BINDING_TYPE_READ_WRITE",
                "binds external_location 'prod_catalog_root', which is not this environment's "
                "(uat): a workspace bound to another environment's storage reaches its data; "
                "remove this binding",
            ),
            (
                "prod_catalog_storage-1001-BINDING_TYPE_READ_WRITE",
                "binds storage_credential 'prod_catalog_storage', which is not this "
                "environment's (uat): a workspace bound to another environment's storage "
                "reaches its data; remove this binding",
            ),
            ("svc", 'isolation mode is unset (OPEN): set isolation_mode="ISOLATION_MODE_ISOLATED"'),
            (
                "svc",
                "credential 'svc' is not bound to this stack's workspace: add a "
                'databricks.WorkspaceBinding with securable_type "credential"',
            ),
        ],
    ),
    (
        "storage-isolated",
        "own-storage-and-declared-credentials-bound",
        lambda: prod(
            binding("prod_catalog_storage", stack="prod", securable_type="storage_credential"),
            binding("prod_catalog_root", stack="prod", securable_type="external_location"),
            resource(
                "databricks:index/credential:Credential",
                "svc",
                "prod",
                name="svc",
                isolationMode="ISOLATION_MODE_ISOLATED",
            ),
            binding("svc", stack="prod", securable_type="credential"),
        ),
        [],
    ),
    (
        "cross-environment-read-only",
        "own-catalogs-in-uat",
        lambda: uat(*bound("mlops_uat"), *bound("mlops_dev")),
        [],
    ),
    (
        "cross-environment-read-only",
        "a-decoy-catalog",
        lambda: uat(*bound("mlops_uat"), *bound("mlops_dev"), *bound("mlops_prod")),
        [
            (
                "mlops_prod-1001-BINDING_TYPE_READ_WRITE",
                "catalog 'mlops_prod' crosses environments with BINDING_TYPE_READ_WRITE: use "
                "BINDING_TYPE_READ_ONLY",
            ),
            (
                "mlops_prod-1001-BINDING_TYPE_READ_WRITE",
                "catalog 'mlops_prod' of another environment is bound into UAT: nothing of Prod "
                "is bound into UAT; remove this binding",
            ),
        ],
    ),
    (
        "cross-environment-read-only",
        "the-prod-catalog-in-upper-case",
        lambda: prod(
            *bound("mlops_prod", "prod"),
            binding("MLOPS_PROD", OTHER_WORKSPACE, "prod", "BINDING_TYPE_READ_ONLY"),
        ),
        [
            (
                "MLOPS_PROD-2002-BINDING_TYPE_READ_ONLY",
                "Prod catalog 'MLOPS_PROD' is bound to another workspace: promotion goes only "
                "from UAT into Prod; remove this binding",
            ),
        ],
    ),
    (
        "no-delta-sharing-of-governed-data",
        "nothing-shared",
        lambda: uat(grants("catalog", "mlops_dev", ml__platform__admins=["USE_CATALOG"])),
        [],
    ),
    (
        "no-delta-sharing-of-governed-data",
        "any-share-recipient-or-grant-on-a-share",
        lambda: uat(
            resource(
                SHARE_TYPE,
                "dev-share",
                name="dev_share",
                objects=[{"name": "mlops_dev.feature_development.v", "dataObjectType": "VIEW"}],
            ),
            resource(
                RECIPIENT_TYPE,
                "partner",
                name="ml-platform-admins",
                authenticationType="DATABRICKS",
            ),
            # ml-engineers: metastore-securables-platform-only reports it.
            grants("share", "dev_share", ml__platform__admins=["select"], ml__engineers=["SELECT"]),
        ),
        [
            (
                "dev-share",
                "share 'dev_share': the estate shares nothing, and a shared view reads whatever "
                "its owner may read; remove it",
            ),
            (
                "partner",
                "recipient 'ml-platform-admins' receives what is shared with it, in another "
                "metastore: the estate shares nothing; remove it",
            ),
            (
                "grants-dev_share",
                "grants SELECT on share 'dev_share' to 'ml-platform-admins': the principal of a "
                "share's grant is a recipient, whatever it is called; the estate shares nothing",
            ),
        ],
    ),
    (
        "one-securable-per-grant",
        "one",
        lambda: uat(grants("schema", "mlops_uat.churn_models", ml__engineers=["SELECT"])),
        [],
    ),
    (
        "one-securable-per-grant",
        "two-or-an-unknown-second",
        lambda: uat(
            resource(
                "databricks:index/grants:Grants",
                "two-keys",
                catalog="mlops_dev",
                schema="mlops_uat.churn_models",
                grants=[{"principal": "ml-engineers", "privileges": ["MODIFY"]}],
            ),
            resource(
                "databricks:index/grant:Grant",
                "unknown-second",
                schema="mlops_dev.feature_development",
                table=UNKNOWN_STRING_VALUE,
                principal="ml-engineers",
                privileges=["MODIFY"],
            ),
        ),
        [
            (
                "two-keys",
                "names 2 securables (catalog, schema): the provider grants on one of them, "
                "chosen at random; use one databricks.Grants per securable",
            ),
            (
                "unknown-second",
                "names 2 securables (schema, table): the provider grants on one of them, "
                "chosen at random; use one databricks.Grants per securable",
            ),
        ],
    ),
    (
        "manage-only-platform",
        "data-scientists-on-a-table-in-feature-development",
        lambda: uat(
            grants(
                "table",
                "mlops_dev.feature_development.features",
                ml__data__scientists=["MANAGE", "SELECT"],
            )
        ),
        [],
    ),
    (
        "manage-only-platform",
        "spelled-privileges-and-a-look-alike-schema",
        lambda: uat(
            grants("catalog", "mlops_dev", **{"account users": ["ALL PRIVILEGES", "manage"]}),
            grants("table", "mlops_dev.feature_development_x.t", ml__data__scientists=["Manage"]),
        ),
        [
            (
                "grants-mlops_dev",
                "'account users' holds ALL_PRIVILEGES, MANAGE on catalog 'mlops_dev': only the "
                "deployer and the platform admins may",
            ),
            (
                "grants-mlops_dev.feature_development_x.t",
                "'ml-data-scientists' holds MANAGE on table 'mlops_dev.feature_development_x.t': "
                "only the deployer and the platform admins may",
            ),
        ],
    ),
    (
        "governed-read-execute-only",
        "spelled-privileges",
        lambda: uat(
            grants("schema", "mlops_uat.churn_models", ml__engineers=["modify", "use schema"])
        ),
        [
            (
                "grants-mlops_uat.churn_models",
                "'ml-engineers' holds MODIFY on governed schema 'mlops_uat.churn_models': humans "
                "may hold only BROWSE, EXECUTE, READ_VOLUME, SELECT, USE_CATALOG, USE_SCHEMA",
            ),
        ],
    ),
    # Private networking (rules/network.py): the uat example's network, then one breach each.
    (
        "private-workspace-front-end",
        "public-against-the-config",
        lambda: networked(workspace={"publicNetworkAccess": "Enabled"}),
        [
            (
                "workspace",
                "public network access is Enabled, but network.public_network_access declares "
                "Disabled: the front end is the config's choice, not the program's",
            )
        ],
    ),
    (
        "private-workspace-front-end",
        "public-as-declared",
        lambda: networked(
            workspace={"publicNetworkAccess": "Enabled"},
            trust_changes={"network": network_with(public_network_access="Enabled")},
        ),
        [],
    ),
    (
        "workspace-provider-after-private-link",
        "waits-for-the-front-end-dns",
        lambda: networked(),
        [],
    ),
    (
        "workspace-provider-after-private-link",
        "calls-the-workspace-before-its-dns",
        lambda: networked(drop=("ui-api-dns", "zone-azuredatabricks-link")),
        [
            (
                "databricks-workspace",
                "does not wait for the databricks_ui_api endpoint's DNS zone group: the "
                "workspace would not resolve privately yet",
            ),
            (
                "databricks-workspace",
                "does not wait for privatelink.azuredatabricks.net's link to the VNet: the "
                "runner there would not resolve the workspace privately yet",
            ),
        ],
    ),
    (
        "workspace-provider-after-private-link",
        "public-front-end-needs-no-wait",
        lambda: networked(
            drop=("ui-api-dns", "zone-azuredatabricks-link"),
            workspace={"publicNetworkAccess": "Enabled"},
            trust_changes={"network": network_with(public_network_access="Enabled")},
        ),
        [],
    ),
    (
        "private-endpoints-own-targets",
        "left-unknown-while-the-workspace-is-known",
        lambda: networked(
            resource(
                PRIVATE_ENDPOINT,
                "unknown-target",
                privateEndpointName="pe-unknown-target",
                subnet={"id": ENDPOINT_SUBNET_ID},
                privateLinkServiceConnections=[
                    {
                        "name": "x",
                        "privateLinkServiceId": UNKNOWN_STRING_VALUE,
                        "groupIds": ["databricks_ui_api"],
                    }
                ],
                property_dependencies={
                    "privateLinkServiceConnections": (
                        "urn:pulumi:uat::mlops-estate::azure-native:databricks:Workspace::workspace",
                    )
                },
            ),
        ),
        [
            (
                "unknown-target",
                "connects to an unknown id (databricks_ui_api): only the stack's own workspace, "
                "storage accounts and Key Vault",
            )
        ],
    ),
    (
        "workspace-vnet-injected",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "workspace-vnet-injected",
        "another-vnet-no-back-end",
        lambda: networked(
            drop=("ui-api",),
            workspace={
                "requiredNsgRules": "AllRules",
                "parameters": {
                    **WORKSPACE_NETWORK["parameters"],
                    "customVirtualNetworkId": {
                        "value": VNET_ID.replace("vnet-mlops-uat", "vnet-other")
                    },
                    "customPublicSubnetName": {"value": "other"},
                },
            },
        ),
        [
            (
                "workspace",
                (
                    "its compute is not in the declared VNet /subscriptions/"
                    "11111111-1111-4111-8111-111111111111/resourceGroups/rg-mlops-uat/providers/"
                    "Microsoft.Network/virtualNetworks/vnet-mlops-uat: set "
                    "parameters.custom_virtual_network_id to it"
                ),
            ),
            (
                "workspace",
                (
                    "parameters.customPublicSubnetName is other, not the declared "
                    "'snet-databricks-host'"
                ),
            ),
            (
                "workspace",
                (
                    "has no back-end private endpoint (databricks_ui_api) in its VNet: "
                    "its clusters "
                    "would reach the control plane over the internet"
                ),
            ),
            (
                "workspace",
                (
                    "required_nsg_rules is AllRules: with back-end private link, set "
                    "NoAzureDatabricksRules"
                ),
            ),
        ],
    ),
    (
        "workspace-storage-firewalled",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "workspace-storage-firewalled",
        "open-root-storage",
        lambda: networked(
            drop=("root-blob",),
            workspace={
                "defaultStorageFirewall": "Disabled",
                "accessConnector": {"id": UC_CONNECTOR_ID, "identityType": "UserAssigned"},
                "parameters": {
                    **WORKSPACE_NETWORK["parameters"],
                    "storageAccountName": {"value": "stelsewhere"},
                },
            },
        ),
        [
            (
                "workspace",
                (
                    "the root storage's firewall is off: set default_storage_firewall "
                    '"Enabled", or '
                    "anyone with its address reaches it"
                ),
            ),
            (
                "workspace",
                (
                    "its access connector is /subscriptions/11111111-1111-4111-8111-111111111111/"
                    "resourceGroups/rg-mlops-uat/providers/Microsoft.Databricks/accessConnectors/"
                    "ac-mlops-uat, not the declared /subscriptions/"
                    "11111111-1111-4111-8111-111111111111/resourceGroups/rg-mlops-uat/providers/"
                    "Microsoft.Databricks/accessConnectors/ac-mlops-uat-workspace"
                ),
            ),
            ("workspace", "the access connector's identity type is not SystemAssigned"),
            (
                "workspace",
                (
                    "its root storage is named stelsewhere, not the declared 'stmlopsuatdbfs': the "
                    "endpoints need its id in advance"
                ),
            ),
            ("workspace", "its root storage has no blob private endpoint"),
        ],
    ),
    (
        "private-workspace-front-end",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "private-workspace-front-end",
        "no-front-end-dns-no-browser-auth",
        lambda: networked(drop=("ui-api-dns", "browser-auth")),
        [
            (
                "workspace",
                (
                    "public access is Disabled, and no databricks_ui_api private "
                    "endpoint with a DNS "
                    "zone group in privatelink.azuredatabricks.net reaches it: nobody could sign in"
                ),
            ),
            (
                "workspace",
                (
                    "public access is Disabled, and no browser_authentication private "
                    "endpoint with "
                    "a DNS zone group in privatelink.azuredatabricks.net reaches it: nobody could "
                    "sign in"
                ),
            ),
        ],
    ),
    (
        "catalog-storage-private",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "catalog-storage-private",
        "public-and-open",
        lambda: networked(
            drop=("catalog-blob",),
            change={
                "catalog-account": {
                    "publicNetworkAccess": "Enabled",
                    "networkRuleSet": {
                        "bypass": "AzureServices",
                        "ipRules": [{"iPAddressOrRange": "1.2.3.4"}],
                        "resourceAccessRules": [
                            {"resourceId": WS_CONNECTOR_ID, "tenantId": "other"}
                        ],
                    },
                }
            },
        ),
        [
            (
                "catalog-account",
                'public network access is Enabled: set public_network_access "Disabled"',
            ),
            (
                "catalog-account",
                'the network rule set does not deny by default: set default_action "Deny"',
            ),
            (
                "catalog-account",
                'the network rule set lets AzureServices through: set bypass "None"',
            ),
            (
                "catalog-account",
                "the network rule set has ipRules: the account has no public endpoint to open",
            ),
            (
                "catalog-account",
                (
                    "admits the resource '/subscriptions/11111111-1111-4111-8111-111111111111/"
                    "resourceGroups/rg-mlops-uat/providers/Microsoft.Databricks/accessConnectors/"
                    "ac-mlops-uat-workspace': only the declared access connector"
                ),
            ),
            ("catalog-account", "a resource access rule names the tenant 'other'"),
            ("catalog-account", "has no blob private endpoint: compute could not reach it"),
        ],
    ),
    (
        "workspace-subnets-delegated",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "workspace-subnets-delegated",
        "undelegated-no-nsg-foreign-nat",
        lambda: networked(
            change={
                "snet-databricks-host": {
                    "delegations": [],
                    "networkSecurityGroup": None,
                    "natGateway": {"id": NAT_ID.replace("ng-", "other-")},
                }
            }
        ),
        [
            ("snet-databricks-host", "is not delegated to Microsoft.Databricks/workspaces"),
            (
                "snet-databricks-host",
                "its NSG is unset, not the stack's 'nsg-vnet-mlops-uat-databricks'",
            ),
            (
                "snet-databricks-host",
                (
                    "its NAT gateway is /subscriptions/11111111-1111-4111-8111-111111111111/"
                    "resourceGroups/rg-mlops-uat/providers/Microsoft.Network/natGateways/"
                    "other-vnet-mlops-uat, not the stack's 'ng-vnet-mlops-uat'"
                ),
            ),
        ],
    ),
    (
        "virtual-network-declared",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "virtual-network-declared",
        "wider-space-peering-extra-subnet",
        lambda: networked(
            resource(
                SUBNET,
                "extra-subnet",
                virtualNetworkName="vnet-mlops-uat",
                subnetName="snet-extra",
                addressPrefix="10.20.3.0/24",
            ),
            change={
                "vnet": {
                    "addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
                    "virtualNetworkPeerings": [{"remoteVirtualNetwork": {"id": "x"}}],
                }
            },
        ),
        [
            ("vnet", "its address space is ['10.0.0.0/8'], not ['10.20.0.0/22']"),
            ("vnet", "declares virtualNetworkPeerings inline: no rule reviews them there"),
            (
                "extra-subnet",
                "the subnet 'snet-extra' (10.20.3.0/24) is not one network.create declares",
            ),
        ],
    ),
    (
        "security-rules-no-inbound-internet",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "security-rules-no-inbound-internet",
        "inbound-from-internet",
        lambda: networked(
            resource(
                SECURITY_RULE,
                "ssh-in",
                direction="Inbound",
                access="Allow",
                sourceAddressPrefix="Internet",
                destinationPortRange="22",
            ),
            resource(
                SECURITY_RULE,
                "public-range",
                direction="Inbound",
                access="Allow",
                sourceAddressPrefixes=["10.0.0.0/8", "20.1.2.0/24"],
            ),
            change={
                "nsg": {
                    "securityRules": [
                        {"direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "*"}
                    ]
                }
            },
        ),
        [
            ("nsg", "declares security rules inline, where they fight the standalone ones"),
            ("nsg", f"allows inbound traffic from *: {NSG_ONLY}"),
            ("ssh-in", f"allows inbound traffic from Internet: {NSG_ONLY}"),
            ("public-range", f"allows inbound traffic from 10.0.0.0/8, 20.1.2.0/24: {NSG_ONLY}"),
        ],
    ),
    (
        "security-rules-no-inbound-internet",
        "azure-cloud-and-lowercase-enums",
        lambda: networked(
            resource(
                SECURITY_RULE,
                "from-azure-cloud",
                direction="Inbound",
                access="Allow",
                sourceAddressPrefix="AzureCloud",
                destinationPortRange="*",
            ),
            resource(
                SECURITY_RULE,
                "lowercase",
                direction="inbound",
                access="allow",
                sourceAddressPrefix="internet",
            ),
        ),
        [
            ("from-azure-cloud", f"allows inbound traffic from AzureCloud: {NSG_ONLY}"),
            ("lowercase", f"allows inbound traffic from internet: {NSG_ONLY}"),
        ],
    ),
    (
        "security-rules-no-inbound-internet",
        "vnet-load-balancer-and-own-range",
        lambda: networked(
            resource(
                SECURITY_RULE,
                "from-the-vnet",
                direction="inbound",
                access="Allow",
                sourceAddressPrefixes=["virtualnetwork", "AzureLoadBalancer", "10.20.1.0/24"],
            ),
            resource(
                SECURITY_RULE,
                "deny-internet",
                direction="Inbound",
                access="Deny",
                sourceAddressPrefix="Internet",
            ),
        ),
        [],
    ),
    (
        "public-ips-only-for-nat-gateway",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "public-ips-only-for-nat-gateway",
        "jump-host-ip",
        lambda: networked(
            resource(
                PUBLIC_IP,
                "jump-ip",
                publicIpAddressName="pip-jump",
                sku={"name": "Basic"},
                publicIPAllocationMethod="Dynamic",
                id=PIP_ID.replace("pip-vnet-mlops-uat-nat", "pip-jump"),
            ),
            change={
                "nat": {
                    "publicIpPrefixes": [{"id": "prefix"}],
                    "publicIpAddresses": [{"id": PIP_ID}, {"id": "/subscriptions/x/foreign-ip"}],
                }
            },
        ),
        [
            ("nat", "uses public IP prefixes: only the stack's public IP addresses"),
            ("nat", "uses the public IP '/subscriptions/x/foreign-ip', not one of the stack's"),
            ("jump-ip", "is not a Standard, static address, as a NAT gateway takes"),
            (
                "jump-ip",
                "no NAT gateway of the stack uses it: a public IP on anything else is a way in",
            ),
        ],
    ),
    (
        "private-endpoints-own-targets",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "private-endpoints-own-targets",
        "to-prod-storage",
        lambda: networked(
            endpoint("to-prod", PROD_CATALOG_ID, "dfs"),
            endpoint(
                "ui-with-blob", WORKSPACE_ID, "blob", VNET_ID + "/subnets/snet-databricks-host"
            ),
            resource(
                PRIVATE_ENDPOINT,
                "manual",
                privateEndpointName="pe-manual",
                subnet={"id": ENDPOINT_SUBNET_ID},
                manualPrivateLinkServiceConnections=[
                    {"privateLinkServiceId": PROD_CATALOG_ID, "groupIds": ["dfs"]}
                ],
            ),
        ),
        [
            (
                "to-prod",
                (
                    "connects to /subscriptions/55555555-5555-4555-8555-555555555555/"
                    "resourceGroups/"
                    "rg-mlops-prod/providers/Microsoft.Storage/storageAccounts/stmlopsprodcatalog "
                    "(dfs): only the stack's own workspace, storage accounts and Key Vault"
                ),
            ),
            (
                "ui-with-blob",
                (
                    "connects to /subscriptions/11111111-1111-4111-8111-111111111111/"
                    "resourceGroups/"
                    "rg-mlops-uat/providers/Microsoft.Databricks/workspaces/dbw-mlops-uat (blob): "
                    "only the stack's own workspace, storage accounts and Key Vault"
                ),
            ),
            (
                "ui-with-blob",
                (
                    "takes its address from /subscriptions/11111111-1111-4111-8111-111111111111/"
                    "resourceGroups/rg-mlops-uat/providers/Microsoft.Network/virtualNetworks/"
                    "vnet-mlops-uat/subnets/snet-databricks-host, not the declared /subscriptions/"
                    "11111111-1111-4111-8111-111111111111/resourceGroups/rg-mlops-uat/providers/"
                    "Microsoft.Network/virtualNetworks/vnet-mlops-uat/subnets/"
                    "snet-private-endpoints"
                ),
            ),
            (
                "manual",
                "requests a manual connection: the estate's endpoints connect to its own resources",
            ),
        ],
    ),
    (
        "private-dns-own-zones",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "private-dns-own-zones",
        "foreign-zone-link-record",
        lambda: networked(
            resource(ZONE, "zone-evil", privateZoneName="privatelink.vaultcore.azure.net"),
            resource(
                ZONE_LINK,
                "link-prod",
                privateZoneName="privatelink.dfs.core.windows.net",
                virtualNetwork={
                    "id": (
                        "/subscriptions/55555555-5555-4555-8555-555555555555/resourceGroups/"
                        "rg-mlops-prod/providers/Microsoft.Network/virtualNetworks/"
                        "vnet-mlops-prod"
                    )
                },
                registrationEnabled=True,
            ),
            resource(
                ZONE_GROUP,
                "foreign-dns",
                privateEndpointName="pe-someone-else",
                privateDnsZoneConfigs=[
                    {
                        "privateDnsZoneId": (
                            "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/"
                            "privateDnsZones/privatelink.dfs.core.windows.net"
                        )
                    }
                ],
            ),
            # Without customer-managed keys the stack has no vault, nor a vault zone.
            trust_changes={"customer_managed_keys": False},
        ),
        [
            (
                "zone-evil",
                "the zone 'privatelink.vaultcore.azure.net' is not one the endpoints use",
            ),
            (
                "link-prod",
                (
                    "links the zone to /subscriptions/55555555-5555-4555-8555-555555555555/"
                    "resourceGroups/rg-mlops-prod/providers/Microsoft.Network/virtualNetworks/"
                    "vnet-mlops-prod: only the declared VNet resolves the stack's endpoints"
                ),
            ),
            (
                "link-prod",
                "registers the VNet's machines in the zone: set registration_enabled False",
            ),
            ("foreign-dns", "writes the record of 'pe-someone-else', not an endpoint of the stack"),
            (
                "foreign-dns",
                (
                    "writes into the zone '/subscriptions/x/resourceGroups/y/providers/"
                    "Microsoft.Network/privateDnsZones/"
                    "privatelink.dfs.core.windows.net', not one of "
                    "the stack's"
                ),
            ),
        ],
    ),
    (
        "key-vault-private",
        "private-with-its-endpoint-and-record",
        lambda: networked(
            resource(
                KEY_VAULT_TYPE,
                "vault",
                vaultName="kv-mlops-uat-keys",
                id=KEY_VAULT_ID,
                properties={"publicNetworkAccess": "Disabled"},
            ),
            endpoint("vault", KEY_VAULT_ID, "vault"),
            resource(
                ZONE_GROUP,
                "vault-dns",
                privateEndpointName="pe-vault",
                privateDnsZoneConfigs=[
                    {
                        "privateDnsZoneId": (
                            f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat/"
                            "providers/Microsoft.Network/privateDnsZones/"
                            "privatelink.vaultcore.azure.net"
                        )
                    }
                ],
            ),
        ),
        [],
    ),
    (
        "key-vault-private",
        "public-with-a-public-workspace",
        lambda: networked(
            resource(KEY_VAULT_TYPE, "vault", vaultName="kv-mlops-uat-keys", properties={}),
            workspace={"publicNetworkAccess": "Enabled"},
            trust_changes={
                "network": network_with(
                    public_network_access="Enabled", browser_authentication=None
                )
            },
        ),
        [],
    ),
    (
        "key-vault-private",
        "public-without-an-endpoint",
        lambda: networked(
            resource(
                KEY_VAULT_TYPE,
                "vault",
                vaultName="kv-mlops-uat-keys",
                id=KEY_VAULT_ID,
                properties={"publicNetworkAccess": "Enabled"},
            ),
            endpoint("vault-elsewhere", KEY_VAULT_ID.replace("uat", "prod"), "vault"),
        ),
        [
            (
                "vault",
                "public network access is Enabled, while the workspace is private: set "
                'properties.public_network_access "Disabled"',
            ),
            (
                "vault",
                "no vault private endpoint with a DNS zone group in "
                "privatelink.vaultcore.azure.net reaches it: nothing in the VNet could",
            ),
        ],
    ),
    (
        "pe-approvals-own-ncc",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "pe-approvals-own-ncc",
        "foreign-endpoint-prod-account",
        lambda: networked(
            resource(
                APPROVAL,
                "approve-foreign",
                accountName="stmlopsuatcatalog",
                resourceGroupName=RG,
                privateLinkServiceConnectionState={"status": "Approved"},
                privateEndpoint={
                    "id": (
                        "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/"
                        "privateEndpoints/attacker-pe"
                    )
                },
            ),
            resource(
                APPROVAL,
                "approve-prod",
                accountName="stmlopsprodcatalog",
                resourceGroupName="rg-mlops-prod",
                privateLinkServiceConnectionState={"status": "Approved"},
            ),
        ),
        [
            (
                "approve-foreign",
                (
                    "approves the private endpoint /subscriptions/x/resourceGroups/y/providers/"
                    "Microsoft.Network/privateEndpoints/attacker-pe, which is no private endpoint "
                    "rule's of the stack's NCC"
                ),
            ),
            (
                "approve-prod",
                (
                    "approves a connection on 'stmlopsprodcatalog': only on the catalog storage "
                    "account 'stmlopsuatcatalog'"
                ),
            ),
        ],
    ),
    (
        "pe-approvals-own-ncc",
        "a-name-that-ends-like-it-and-a-twin",
        lambda: networked(
            resource(
                APPROVAL,
                "approve-suffix",
                accountName="stmlopsuatcatalog",
                resourceGroupName=RG,
                privateLinkServiceConnectionState={"status": "Approved"},
                privateEndpoint={"id": f"{ATTACKER_PES}/evil-{NCC_ENDPOINTS['dfs']}"},
            ),
            resource(
                APPROVAL,
                "approve-twin",
                accountName="stmlopsuatcatalog",
                resourceGroupName=RG,
                privateLinkServiceConnectionState={"status": "Approved"},
                privateEndpoint={"id": f"{ATTACKER_PES}/{NCC_ENDPOINTS['blob']}"},
            ),
        ),
        [
            (
                "approve-suffix",
                f"approves the private endpoint {ATTACKER_PES}/evil-{NCC_ENDPOINTS['dfs']}, "
                "which is no private endpoint rule's of the stack's NCC",
            ),
            (
                "approve-twin",
                f"approves {NCC_ENDPOINTS['blob']} a second time (also approve-blob): a rule's "
                "endpoint is approved once, and two endpoints of one name are one too many",
            ),
            (
                "approve-blob",
                f"approves {NCC_ENDPOINTS['blob']} a second time (also approve-twin): a rule's "
                "endpoint is approved once, and two endpoints of one name are one too many",
            ),
        ],
    ),
    (
        "ncc-own-resources",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "ncc-own-resources",
        "rules-beyond-catalog-storage",
        lambda: networked(
            resource(
                NCC_RULE,
                "ncc-to-prod",
                networkConnectivityConfigId=NCC_ID,
                resourceId=PROD_CATALOG_ID,
                groupId="sqlServer",
            ),
            resource(
                NCC_RULE,
                "ncc-domains",
                networkConnectivityConfigId="other-ncc",
                resourceId=CATALOG_ID,
                groupId="dfs",
                domainNames=["exfil.example.com"],
            ),
            change={
                "ncc": {
                    "region": "northeurope",
                    "egressConfig": {
                        "targetRules": {
                            "azurePrivateEndpointRules": [{"resourceId": PROD_CATALOG_ID}]
                        }
                    },
                }
            },
        ),
        [
            ("ncc", "its region is 'northeurope', not 'westeurope'"),
            ("ncc", "declares target rules inline: no rule reviews them there"),
            (
                "ncc-to-prod",
                (
                    "reaches /subscriptions/55555555-5555-4555-8555-555555555555/resourceGroups/"
                    "rg-mlops-prod/providers/Microsoft.Storage/storageAccounts/stmlopsprodcatalog: "
                    "only the catalog storage account"
                ),
            ),
            ("ncc-to-prod", "its group_id is 'sqlServer': only dfs or blob"),
            ("ncc-domains", "is a rule of another NCC than the stack's"),
            ("ncc-domains", "sets domainNames, which reaches beyond the catalog storage"),
        ],
    ),
    (
        "workspace-bound-to-ncc",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "workspace-bound-to-ncc",
        "another-workspace-bound",
        lambda: networked(
            resource(
                NCC_BINDING,
                "bind-other",
                networkConnectivityConfigId=NCC_ID,
                workspaceId=OTHER_WORKSPACE,
            ),
            drop=("ncc-binding",),
        ),
        [
            (
                "workspace",
                "is not bound to the stack's NCC: serverless compute cannot reach the storage",
            ),
            ("bind-other", "binds the workspace 2002: only the stack's own"),
        ],
    ),
    (
        "serverless-egress-restricted",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "serverless-egress-restricted",
        "default-policy-open-dry-run",
        lambda: networked(
            resource(
                POLICY_TYPE,
                "default",
                networkPolicyId="default-policy",
                egress={"networkAccess": {"restrictionMode": "FULL_ACCESS"}},
            ),
            change={
                "egress-policy": {
                    "egress": {
                        "networkAccess": {
                            "restrictionMode": "RESTRICTED_ACCESS",
                            "allowedInternetDestinations": [
                                {
                                    "destination": "exfil.example.com",
                                    "internetDestinationType": "DNS_NAME",
                                }
                            ],
                            "allowedStorageDestinations": [
                                {
                                    "azureStorageAccount": "stmlopsprodcatalog",
                                    "storageDestinationType": "AZURE_STORAGE",
                                }
                            ],
                            "policyEnforcement": {"enforcementMode": "DRY_RUN"},
                        }
                    }
                }
            },
        ),
        [
            (
                "egress-policy",
                "allows 'exfil.example.com', which network.serverless_egress does not list",
            ),
            (
                "egress-policy",
                (
                    "allows allowedStorageDestinations: Unity Catalog's locations are allowed "
                    "without them"
                ),
            ),
            ("egress-policy", "enforcement is DRY_RUN: it only logs; set ENFORCED"),
            (
                "default",
                (
                    "changes the account's default-policy, which every workspace without "
                    "a policy of "
                    "its own follows, other environments' too"
                ),
            ),
            ("default", "egress is FULL_ACCESS: set RESTRICTED_ACCESS"),
        ],
    ),
    (
        "serverless-egress-restricted",
        "ingress-and-dry-run-products",
        lambda: networked(
            change={
                "egress-policy": {
                    "egress": {
                        "networkAccess": {
                            "restrictionMode": "RESTRICTED_ACCESS",
                            "policyEnforcement": {
                                "enforcementMode": "ENFORCED",
                                "dryRunModeProductFilters": ["ML_SERVING"],
                            },
                        }
                    },
                    "ingress": {"publicAccess": {"restrictionMode": "FULL_ACCESS"}},
                    "ingressDryRun": {"publicAccess": {"restrictionMode": "FULL_ACCESS"}},
                }
            },
        ),
        [
            (
                "egress-policy",
                "sets dryRunModeProductFilters: those products' egress would only be logged",
            ),
            (
                "egress-policy",
                "sets ingress: the front end is network.public_network_access's, not the policy's",
            ),
            (
                "egress-policy",
                "sets ingressDryRun: the front end is network.public_network_access's, not the "
                "policy's",
            ),
        ],
    ),
    (
        "network-option-own-workspace",
        "private",
        lambda: networked(),
        [],
    ),
    (
        "network-option-own-workspace",
        "another-workspace-default-policy",
        lambda: networked(
            resource(
                OPTION, "option-other", workspaceId=OTHER_WORKSPACE, networkPolicyId=POLICY_ID
            ),
            change={"network-option": {"networkPolicyId": "default-policy"}},
        ),
        [
            ("workspace", "does not follow the stack's network policy 'dbw-mlops-uat-egress'"),
            ("network-option", "links the policy 'default-policy', not 'dbw-mlops-uat-egress'"),
            ("option-other", "sets the network option of the workspace 2002: only the stack's own"),
        ],
    ),
    (
        "network-option-own-workspace",
        "the-policy-declared-twice",
        lambda: networked(
            resource(
                POLICY_TYPE,
                "egress-policy-twin",
                networkPolicyId=POLICY_ID,
                egress={"networkAccess": {"restrictionMode": "RESTRICTED_ACCESS"}},
            ),
        ),
        [
            ("workspace", "does not follow the stack's network policy 'dbw-mlops-uat-egress'"),
            (
                "network-option",
                "links the policy 'dbw-mlops-uat-egress', which the stack declares other than once",
            ),
        ],
    ),
]


def test_the_stable_rules_keep_their_names_and_levels() -> None:
    registered = {rule.name: rule.enforcement for rule in RULES}
    assert {name: registered.get(name) for name in STABLE_RULES} == STABLE_RULES


def test_every_rule_has_a_breaking_and_a_keeping_case() -> None:
    for rule in RULES:
        outcomes = [bool(expected) for name, _, _, expected in CASES if name == rule.name]
        assert False in outcomes and True in outcomes, rule.name


@pytest.mark.parametrize(
    ("rule", "stack", "expected"),
    [(c[0], c[2], c[3]) for c in CASES],
    ids=[f"{c[0]}:{c[1]}" for c in CASES],
)
def test_rule(rule: str, stack: Stack, expected: list[tuple[str, str]]) -> None:
    """Exactly these resources break the rule, each with exactly this message."""
    built = stack()
    if not isinstance(built, tuple):
        built = (built, trust(built[0].stack))
    resources, case_trust, *lookups = built
    urns = {resource.name: resource.urn for resource in resources}
    violations, _ = evaluate(resources, case_trust, *lookups)
    assert sorted((v.urn, v.message) for v in violations if v.policy == rule) == sorted(
        (urns[name], message) for name, message in expected
    )
    levels = {r.name: r.enforcement for r in RULES}
    assert {v.enforcement for v in violations if v.policy == rule} <= {levels[rule]}


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_example_stacks_have_no_violations(stack: str) -> None:
    assert example_plan(stack).violations == []


def _unknown(resource_: Resource, **unknown: object) -> Resource:
    props = {**resource_.props, **{key: UNKNOWN_STRING_VALUE for key in unknown}}
    return dataclasses.replace(resource_, props=unknown_checking_proxy(props))


def test_unknown_values_are_not_applicable_yet_never_a_pass_or_a_crash() -> None:
    """While the own workspace's id is unknown too (a preview before it exists); a value left
    unknown while its source is known is a violation (test_rule, "left-unknown-...")."""
    stack = uat(
        _unknown(catalog("mlops_uat"), isolationMode=True),
        _unknown(binding("mlops_uat"), workspaceId=True),
    )
    stack[0] = _unknown(stack[0], workspaceId=True)
    violations, not_yet = evaluate(stack, trust("uat"))
    assert violations == []
    assert {(n.policy, n.urn.rsplit("::", 1)[1]) for n in not_yet} >= {
        ("catalog-isolated", "mlops_uat"),
        ("catalog-bound-to-own-workspace", "mlops_uat"),
    }


def test_an_unknown_workspace_id_defers_binding_rules() -> None:
    stack = [*environment("uat"), *bound("mlops_uat")]
    stack[0] = _unknown(stack[0], workspaceId=True)
    violations, not_yet = evaluate(stack, trust("uat"))
    assert violations == []
    assert "catalog-bound-to-own-workspace" in {n.policy for n in not_yet}


def test_a_grants_on_a_securable_unknown_yet_defers_the_twin_check() -> None:
    """Until its securable is known, a Grants may be any other Grants' twin: the check waits
    on both, never passes."""
    known = grants("schema", "mlops_uat_evidence.audit_evidence", ml__auditors=["SELECT"])
    unknown = _unknown(grants("schema", "computed", ml__auditors=["SELECT"]), schema=True)
    violations, not_yet = evaluate(uat(known, unknown), trust("uat"))
    assert [v for v in violations if v.policy == "one-grants-per-securable"] == []
    assert {n.urn for n in not_yet if n.policy == "one-grants-per-securable"} == {
        known.urn,
        unknown.urn,
    }


def test_a_binding_spelled_by_values_unknown_yet_waits_for_them() -> None:
    """Unknown in a preview, the binding's types are checked by the update; an offline plan,
    where every value should be known, reports them."""
    spelled = _unknown(binding("mlops_uat"), securableType=True, bindingType=True)
    violations, not_yet = evaluate([*environment("uat"), spelled], trust("uat"))
    assert [v for v in violations if v.policy == "workspace-bindings-well-formed"] == []
    assert ("workspace-bindings-well-formed", spelled.urn) in {(n.policy, n.urn) for n in not_yet}
    violations, _ = evaluate([*environment("uat"), spelled], trust("uat"), unknown_fails=True)
    assert ("workspace-bindings-well-formed", spelled.urn) in {
        (v.policy, v.urn) for v in violations
    }


def test_no_tag_or_resource_of_the_program_changes_the_environment() -> None:
    """A Prod workspace tagged "staging", and another workspace tagged "uat": still Prod, and
    the second workspace is a violation of its own."""
    stack = [
        *environment("prod", tags={"environment": "staging"}),
        resource(
            "azure-native:databricks:Workspace",
            "second",
            "prod",
            protect=True,
            workspaceName="dbw-other",
            sku={"name": "premium"},
            parameters={"enableNoPublicIp": {"value": True}},
            publicNetworkAccess="Disabled",
            workspaceId="3003",
            tags={"environment": "uat"},
        ),
        resource(ENTITLEMENTS, "e", "prod", groupId="1", allowClusterCreate=True),
    ]
    violations, _ = evaluate(stack, trust("prod"))
    assert sorted((v.policy, v.urn) for v in violations) == [
        ("entitlements-only-for-assigned-principals", stack[-1].urn),
        ("one-databricks-workspace", stack[-2].urn),
        ("prod-humans-no-cluster-create", stack[-1].urn),
    ]


def test_a_stack_named_prod_with_a_suffix_is_prod() -> None:
    entitlement = resource(
        ENTITLEMENTS, "e", "prod-westeurope", groupId="1", allowClusterCreate=True
    )
    violations, _ = evaluate(
        [*environment("prod-westeurope"), entitlement], trust("prod-westeurope")
    )
    assert sorted((v.policy, v.urn) for v in violations) == [
        ("entitlements-only-for-assigned-principals", entitlement.urn),
        ("prod-humans-no-cluster-create", entitlement.urn),
    ]

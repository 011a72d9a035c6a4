"""Every isolation rule, with stacks that break it and stacks that keep it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy
from support.plans import example_plan
from support.policy_cases import (
    DEPLOYER,
    OTHER_WORKSPACE,
    STABLE_RULES,
    binding,
    catalog,
    environment,
    folder_permissions,
    grants,
    resource,
    trust,
)

from mlops_estate.rules import RULES, Resource, evaluate

Stack = Callable[[], list[Resource]]


def uat(*extra: Resource) -> list[Resource]:
    return [*environment("uat"), *extra]


def prod(*extra: Resource) -> list[Resource]:
    return [*environment("prod"), *extra]


def bound(name: str, stack: str = "uat", **props: object) -> list[Resource]:
    protect = stack == "prod"
    cat = catalog(name, stack, **props)
    cat = Resource(cat.urn, cat.type, cat.name, cat.props, protect=protect)
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


HARDENED_ACCOUNT = {
    "enableHttpsTrafficOnly": True,
    "minimumTlsVersion": "TLS1_2",
    "allowBlobPublicAccess": False,
}
ACCOUNT = "azure-native:storage:StorageAccount"
ENTITLEMENTS = "databricks:index/entitlements:Entitlements"
JOB = "databricks:index/job:Job"

# (rule, case id, stack, number of violations of that rule)
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
        lambda: prod(*bound("mlops_prod", "prod"), *bound("mlops_dev", "prod")),
        [
            (
                "mlops_dev",
                "catalog 'mlops_dev' is not the prod stack's governed catalog ('mlops_prod'): "
                "a development catalog is declared only in the uat stack",
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
            ("st", 'minimum TLS is below 1.2 or unset: set minimum_tls_version="TLS1_2"'),
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
    resources = stack()
    urns = {resource.name: resource.urn for resource in resources}
    violations, _ = evaluate(resources, trust(resources[0].stack))
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
    return Resource(
        resource_.urn,
        resource_.type,
        resource_.name,
        unknown_checking_proxy(props),
        resource_.protect,
    )


def test_unknown_values_are_not_applicable_yet_never_a_pass_or_a_crash() -> None:
    stack = uat(
        _unknown(catalog("mlops_uat"), isolationMode=True),
        _unknown(binding("mlops_uat"), workspaceId=True),
    )
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


def test_no_tag_or_resource_of_the_program_changes_the_environment() -> None:
    """A Prod workspace tagged "staging", and another workspace tagged "uat": still Prod."""
    stack = [
        *environment("prod", tags={"environment": "staging"}),
        resource(
            "azure-native:databricks:Workspace",
            "second",
            "prod",
            protect=True,
            sku={"name": "premium"},
            parameters={"enableNoPublicIp": {"value": True}},
            publicNetworkAccess="Disabled",
            workspaceId="3003",
            tags={"environment": "uat"},
        ),
        resource(ENTITLEMENTS, "e", "prod", groupId="1", allowClusterCreate=True),
    ]
    violations, _ = evaluate(stack, trust("prod"))
    assert [(v.policy, v.urn) for v in violations] == [
        ("prod-humans-no-cluster-create", stack[-1].urn)
    ]


def test_a_stack_named_prod_with_a_suffix_is_prod() -> None:
    entitlement = resource(
        ENTITLEMENTS, "e", "prod-westeurope", groupId="1", allowClusterCreate=True
    )
    violations, _ = evaluate([entitlement], trust("prod-westeurope"))
    assert [(v.policy, v.urn) for v in violations] == [
        ("prod-humans-no-cluster-create", entitlement.urn)
    ]

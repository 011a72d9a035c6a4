"""Resources for the policy tests: a stack's environment, and resources in it."""

from __future__ import annotations

import dataclasses
from typing import Any

from mlops_estate.rules import Resource, Trust
from mlops_estate.vocabulary.azure import ENTRA_TOKEN_EXCHANGE_AUDIENCE, GITHUB_OIDC_ISSUER

# The 21 rules of the estate's specification: their names and levels are stable, since CI
# configs, auditors and tests refer to them. The registry may add rules, never rename these.
STABLE_RULES = {
    "catalog-isolated": "mandatory",
    "catalog-bound-to-own-workspace": "mandatory",
    "cross-environment-read-only": "mandatory",
    "development-catalog-uat-only": "mandatory",
    "owner-is-not-a-person": "mandatory",
    "governed-read-execute-only": "mandatory",
    "manage-only-platform": "mandatory",
    "authoritative-grants-only": "mandatory",
    "no-deprecated-binding-resource": "mandatory",
    "deployment-folder-locked": "mandatory",
    "no-deployments-under-shared-or-users": "mandatory",
    "jobs-run-as-service-principal": "mandatory",
    "prod-humans-no-cluster-create": "mandatory",
    "workspace-hardened": "mandatory",
    "prod-protected": "mandatory",
    "storage-isolated": "mandatory",
    "no-long-lived-secrets": "mandatory",
    "storage-account-hardened": "mandatory",
    "tokens-for-service-principals-only": "advisory",
    "prod-workspace-registry-read-only": "advisory",
    "public-network-access-disabled": "advisory",
}

DEPLOYER = "0f3f0f31-2b08-5323-bad6-c08993bc5724"
OWN_WORKSPACE = "1001"
DEPLOYER_SP_ID = "7001"
"""The deployer service principal's id in the account, as its state shows it."""
WORKSPACE_URL = "adb-1001.1.azuredatabricks.net"
OTHER_WORKSPACE = "2002"


def provider_urn(package: str, stack: str) -> str:
    """The stack's own provider for a package: its explicit Azure or workspace provider."""
    name = "azure" if package == "azure-native" else "databricks-workspace"
    return f"urn:pulumi:{stack}::mlops-estate::pulumi:providers:{package}::{name}"


def resource(
    typ: str,
    logical: str,
    stack: str = "uat",
    /,
    protect: bool = False,
    provider: str | None = None,
    property_dependencies: dict[str, tuple[str, ...]] | None = None,
    custom: bool | None = None,
    **props: Any,
) -> Resource:
    """A resource of type `typ` named `logical` in `stack`, with `props` as its properties,
    managed by the stack's own provider of its package unless `provider` says otherwise."""
    package = typ.split(":", 1)[0]
    if provider is None:
        provider = provider_urn(package, stack) if package in ("azure-native", "databricks") else ""
    return Resource(
        urn=f"urn:pulumi:{stack}::mlops-estate::{typ}::{logical}",
        type=typ,
        name=logical,
        props=props,
        protect=protect,
        provider=provider,
        property_dependencies=property_dependencies or {},
        custom=custom,
    )


RUNNER = "66666666-6666-4666-8666-666666666661"
AZURE_DATABRICKS_OBJECT = "88888888-8888-4888-8888-888888888881"
RUNNER_OBJECT = "77777777-7777-4777-8777-777777777771"
DEPLOYER_OBJECT = "0f3f0f31-2b08-5323-bad6-c08993bc0000"
CONNECTOR_OBJECT = "0f3f0f31-2b08-5323-bad6-c08993bc1111"
SUBSCRIPTION = "11111111-1111-4111-8111-111111111111"
TENANT = "22222222-2222-4222-8222-222222222222"
ACCOUNT = "33333333-3333-4333-8333-333333333333"
METASTORE = "44444444-4444-4444-8444-444444444444"


def trust(stack: str) -> Trust:
    """What the example estate's config declares, for a stack named `stack` (uat*, prod*)."""
    environment = stack.split("-")[0]
    uat = environment == "uat"
    return Trust(
        stack=stack,
        environment=environment,
        governed_catalog=f"mlops_{environment}",
        platform_admins="ml-platform-admins",
        data_scientists="ml-data-scientists",
        development_catalog="mlops_dev" if uat else None,
        feature_development_schema="mlops_dev.feature_development" if uat else None,
        persona_groups=frozenset(
            {"ml-data-scientists", "ml-engineers", "ml-platform-admins", "ml-auditors"}
        ),
        runner_application_id=RUNNER,
        runner_object_id=RUNNER_OBJECT,
        subscription_id=SUBSCRIPTION,
        tenant_id=TENANT,
        location="westeurope",
        resource_group=f"rg-mlops-{environment}",
        workspace_name=f"dbw-mlops-{environment}",
        access_connector=f"ac-mlops-{environment}",
        deployer_identity=f"id-mlops-deployer-{environment}",
        github_subjects=frozenset({f"repo:contoso/ml-projects:environment:{environment}"}),
        account_id=ACCOUNT,
        metastore_id=METASTORE,
        promotion_group="ml-prod-model-promoters",
        promotion_source="" if uat else "mlops_uat",
        personal_compute="DELEGATE",
        auditors="ml-auditors",
        customer_managed_keys=True,
        key_vault=f"kv-mlops-{environment}-keys",
        azure_databricks_object_id=AZURE_DATABRICKS_OBJECT,
        log_analytics_workspace=f"log-mlops-{environment}",
        evidence_catalog=f"mlops_{environment}_evidence",
        evidence_schema=f"mlops_{environment}_evidence.audit_evidence",
        system_schemas=frozenset({"access", "compute", "query"}),
    )


def _arm_id(declared: Trust, provider_type: str, name: str) -> str:
    return (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{declared.resource_group}/providers/"
        f"{provider_type}/{name}"
    )


def encrypted_entities(vault: str) -> dict[str, Any]:
    """Managed services and managed disks under keys of `vault`, as the Workspace API takes
    them."""
    key = {"keyVaultUri": f"https://{vault}.vault.azure.net/", "keyName": "k", "keyVersion": "1"}
    return {
        entity: {"keySource": "Microsoft.Keyvault", "keyVaultProperties": key}
        for entity in ("managedServices", "managedDisk")
    }


def environment(stack: str = "uat", **workspace: Any) -> list[Resource]:
    """The stack's Azure workspace, its deployer identity and service principal, and its
    access connector, as the config names them."""
    declared = trust(stack)
    props = {
        "workspaceName": declared.workspace_name,
        "sku": {"name": "premium"},
        "parameters": {"enableNoPublicIp": {"value": True}},
        "publicNetworkAccess": "Disabled",
        "workspaceId": OWN_WORKSPACE,
        "workspaceUrl": WORKSPACE_URL,
        "id": _arm_id(declared, "Microsoft.Databricks/workspaces", declared.workspace_name),
        "encryption": {"entities": encrypted_entities(declared.key_vault)},
        **workspace,
    }
    log_analytics = _arm_id(
        declared, "Microsoft.OperationalInsights/workspaces", declared.log_analytics_workspace
    )
    return [
        resource(
            "azure-native:databricks:Workspace",
            "workspace",
            stack,
            protect=stack.startswith("prod"),
            **props,
        ),
        resource(
            "azure-native:managedidentity:UserAssignedIdentity",
            "deployer-identity",
            stack,
            protect=stack.startswith("prod"),
            resourceName=declared.deployer_identity,
            clientId=DEPLOYER,
            principalId=DEPLOYER_OBJECT,
        ),
        resource(
            "databricks:index/servicePrincipal:ServicePrincipal",
            "deployer",
            stack,
            id=DEPLOYER_SP_ID,
            applicationId=DEPLOYER,
            displayName=declared.deployer_identity,
        ),
        resource(
            "azure-native:databricks:AccessConnector",
            "connector",
            stack,
            protect=stack.startswith("prod"),
            connectorName=declared.access_connector,
            identity={"type": "SystemAssigned", "principalId": CONNECTOR_OBJECT},
        ),
        resource(
            "azure-native:operationalinsights:Workspace",
            "logs",
            stack,
            protect=stack.startswith("prod"),
            workspaceName=declared.log_analytics_workspace,
            resourceGroupName=declared.resource_group,
            location="westeurope",
            id=log_analytics,
        ),
        resource(
            "azure-native:monitor:DiagnosticSetting",
            "workspace-logs",
            stack,
            resourceUri=props["id"],
            workspaceId=log_analytics,
            logs=[{"categoryGroup": "allLogs", "enabled": True}],
        ),
        resource(
            "pulumi:providers:azure-native",
            "azure",
            stack,
            subscriptionId=SUBSCRIPTION,
            tenantId=TENANT,
        ),
        resource(
            "pulumi:providers:databricks",
            "databricks-workspace",
            stack,
            host=f"https://{WORKSPACE_URL}",
            azureWorkspaceResourceId=(
                f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{declared.resource_group}/"
                f"providers/Microsoft.Databricks/workspaces/{declared.workspace_name}"
            ),
        ),
    ]


def catalog(name: str, stack: str = "uat", **props: Any) -> Resource:
    return resource(
        "databricks:index/catalog:Catalog",
        name,
        stack,
        **{"name": name, "isolationMode": "ISOLATED", "owner": DEPLOYER, **props},
    )


def binding(
    securable: str,
    workspace: str = OWN_WORKSPACE,
    stack: str = "uat",
    binding_type: str = "BINDING_TYPE_READ_WRITE",
    securable_type: str = "catalog",
    name: str | None = None,
) -> Resource:
    return resource(
        "databricks:index/workspaceBinding:WorkspaceBinding",
        name or f"{securable}-{workspace}-{binding_type}",
        stack,
        securableName=securable,
        securableType=securable_type,
        workspaceId=workspace,
        bindingType=binding_type,
    )


def grants(
    securable_key: str, securable: str, stack: str = "uat", **principals: list[str]
) -> Resource:
    return resource(
        "databricks:index/grants:Grants",
        f"grants-{securable}",
        stack,
        **{
            securable_key: securable,
            "grants": [
                {"principal": p.replace("__", "-"), "privileges": privileges}
                for p, privileges in principals.items()
            ],
        },
    )


def folder_permissions(path: str, stack: str = "uat", **levels: str) -> Resource:
    controls = [{"servicePrincipalName": DEPLOYER, "permissionLevel": "CAN_MANAGE"}]
    controls += [
        {"groupName": group.replace("__", "-"), "permissionLevel": level}
        for group, level in levels.items()
    ]
    return resource(
        "databricks:index/permissions:Permissions",
        f"acl{path}",
        stack,
        directoryPath=path,
        accessControls=controls,
    )


FOREIGN_SP = "12345678-1234-4123-8123-123456789abc"  # looks like a service principal, is none


def deployer_sp(stack: str) -> str:
    """The URN of the deployer's service principal in `environment(stack)`."""
    return (
        f"urn:pulumi:{stack}::mlops-estate::databricks:index/servicePrincipal:"
        "ServicePrincipal::deployer"
    )


def federated(subject: str, stack: str = "uat", **overrides: Any) -> Resource:
    declared = trust(stack)
    props = {
        "resourceName": declared.deployer_identity,
        "issuer": GITHUB_OIDC_ISSUER,
        "audiences": [ENTRA_TOKEN_EXCHANGE_AUDIENCE],
        "subject": subject,
        "resourceGroupName": declared.resource_group,
        **overrides,
    }
    return resource(
        "azure-native:managedidentity:FederatedIdentityCredential", "fic", stack, **props
    )


def role(role_guid: str, principal: str, logical: str, stack: str = "uat") -> Resource:
    return resource(
        "azure-native:authorization:RoleAssignment",
        logical,
        stack,
        principalId=principal,
        scope=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-{stack}",
        roleDefinitionId=f"/subscriptions/{SUBSCRIPTION}/providers/"
        f"Microsoft.Authorization/roleDefinitions/{role_guid}",
    )


def allowing(type_token: str, *extra: Resource, stack: str = "uat") -> tuple[list[Resource], Trust]:
    """A stack whose config allows `type_token`, with a reason."""
    allowed = dataclasses.replace(
        trust(stack), allowed_types={type_token: "a random suffix for names, no access at all"}
    )
    return [*environment(stack), *extra], allowed

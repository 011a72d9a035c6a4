"""Resources for the policy tests: a stack's environment, and resources in it."""

from __future__ import annotations

from typing import Any

from mlops_estate.rules import Resource, Trust

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
OTHER_WORKSPACE = "2002"


def resource(
    typ: str, logical: str, stack: str = "uat", /, protect: bool = False, **props: Any
) -> Resource:
    """A resource of type `typ` named `logical` in `stack`, with `props` as its properties."""
    return Resource(
        urn=f"urn:pulumi:{stack}::mlops-estate::{typ}::{logical}",
        type=typ,
        name=logical,
        props=props,
        protect=protect,
    )


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
    )


def environment(stack: str = "uat", **workspace: Any) -> list[Resource]:
    """The stack's Azure workspace and its deployer."""
    props = {
        "sku": {"name": "premium"},
        "parameters": {"enableNoPublicIp": {"value": True}},
        "publicNetworkAccess": "Disabled",
        "workspaceId": OWN_WORKSPACE,
        **workspace,
    }
    return [
        resource(
            "azure-native:databricks:Workspace",
            "workspace",
            stack,
            protect=stack == "prod",
            **props,
        ),
        resource(
            "databricks:index/servicePrincipal:ServicePrincipal",
            "deployer",
            stack,
            applicationId=DEPLOYER,
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

"""Explicit providers, built once per stack and passed into the components.

No credential is stored in a provider: Azure and Databricks authenticate through the
environment (Azure CLI locally, GitHub Actions OIDC in CI).
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure_native
import pulumi_databricks as databricks

from .config import EstateConfig

AZURE_DATABRICKS_ACCOUNTS_HOST = "https://accounts.azuredatabricks.net"


def azure_provider(config: EstateConfig) -> azure_native.Provider:
    """The azure-native provider pinned to the configured subscription and tenant."""
    return azure_native.Provider(
        "azure",
        subscription_id=config.azure.subscription_id,
        tenant_id=config.azure.tenant_id,
        location=config.azure.location,
    )


def account_provider(config: EstateConfig) -> databricks.Provider:
    """The Databricks account-level provider: metastore assignment, account groups."""
    return databricks.Provider(
        "databricks-account",
        host=AZURE_DATABRICKS_ACCOUNTS_HOST,
        account_id=config.databricks.account_id,
        azure_tenant_id=config.azure.tenant_id,
        auth_type=config.databricks.auth_type,
    )


def workspace_provider(config: EstateConfig, workspace_url: pulumi.Input[str],
                       workspace_resource_id: pulumi.Input[str],
                       depends_on: list[pulumi.Resource]) -> databricks.Provider:
    """The Databricks provider of the environment's workspace."""
    return databricks.Provider(
        "databricks-workspace",
        host=pulumi.Output.concat("https://", workspace_url),
        azure_workspace_resource_id=workspace_resource_id,
        azure_tenant_id=config.azure.tenant_id,
        auth_type=config.databricks.auth_type,
        opts=pulumi.ResourceOptions(depends_on=depends_on),
    )

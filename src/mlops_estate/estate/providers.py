"""Explicit providers, built at the stack's root and passed into the components.

No credential is stored in a provider: Azure and Databricks authenticate through the
environment (Azure CLI locally, GitHub Actions OIDC in CI).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_azure_native as azure_native
import pulumi_databricks as databricks

from ..config import EstateConfig
from ..vocabulary.azure import AZURE_DATABRICKS_ACCOUNTS_HOST


@dataclass(frozen=True)
class StackProviders:
    """The stack's providers. The workspace's is built once the workspace's URL is known."""

    config: EstateConfig
    azure: azure_native.Provider
    account: databricks.Provider

    def create_workspace_provider(
        self,
        workspace_url: pulumi.Input[str],
        workspace_resource_id: pulumi.Input[str],
        depends_on: list[pulumi.Resource],
    ) -> databricks.Provider:
        """Register the Databricks provider of the environment's workspace."""
        return databricks.Provider(
            "databricks-workspace",
            host=pulumi.Output.concat("https://", workspace_url),
            azure_workspace_resource_id=workspace_resource_id,
            azure_tenant_id=self.config.azure.tenant_id,
            auth_type=self.config.databricks.auth_type,
            opts=pulumi.ResourceOptions(depends_on=depends_on),
        )


def stack_providers(config: EstateConfig) -> StackProviders:
    """The azure-native provider pinned to the configured subscription and tenant, and the
    Databricks account-level provider (metastore assignment, account groups)."""
    azure = azure_native.Provider(
        "azure",
        subscription_id=config.azure.subscription_id,
        tenant_id=config.azure.tenant_id,
        location=config.azure.location,
    )
    account = databricks.Provider(
        "databricks-account",
        host=AZURE_DATABRICKS_ACCOUNTS_HOST,
        account_id=config.databricks.account_id,
        azure_tenant_id=config.azure.tenant_id,
        auth_type=config.databricks.auth_type,
    )
    return StackProviders(config=config, azure=azure, account=account)

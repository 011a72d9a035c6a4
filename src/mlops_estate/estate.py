"""The estate of one environment, composed from the components, and its stack outputs."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from .azure_environment import AzureEnvironment, AzureEnvironmentArgs
from .config import EstateConfig
from .providers import account_provider, azure_provider, workspace_provider


@dataclass(frozen=True)
class Estate:
    config: EstateConfig
    azure: AzureEnvironment
    account_provider: databricks.Provider
    workspace_provider: databricks.Provider
    metastore_assignment: databricks.MetastoreAssignment


def build_estate(config: EstateConfig) -> Estate:
    """Register every resource of the environment described by `config`."""
    env = config.environment
    is_prod = env == "prod"
    azure = AzureEnvironment(
        env,
        AzureEnvironmentArgs(azure=config.azure, network=config.network, environment=env,
                             protect=is_prod),
        opts=pulumi.ResourceOptions(providers={"azure-native": azure_provider(config)}))
    account = account_provider(config)
    workspace = workspace_provider(config, azure.workspace_url, azure.workspace_resource_id)
    assignment = databricks.MetastoreAssignment(
        f"{env}-metastore-assignment",
        metastore_id=config.databricks.metastore_id,
        workspace_id=azure.workspace_id,
        opts=pulumi.ResourceOptions(provider=account, protect=is_prod))
    return Estate(config=config, azure=azure, account_provider=account,
                  workspace_provider=workspace, metastore_assignment=assignment)


def export_estate(estate: Estate) -> None:
    """Export what the ML projects' CI/CD and the auditors read from the stack."""
    config = estate.config
    pulumi.export("environment", config.environment)
    pulumi.export("workspace", {
        "host": pulumi.Output.concat("https://", estate.azure.workspace_url),
        "url": estate.azure.workspace_url,
        "id": estate.azure.workspace_id,
        "resource_id": estate.azure.workspace_resource_id,
        "metastore_id": config.databricks.metastore_id,
    })
    pulumi.export("azure", {
        "subscription_id": config.azure.subscription_id,
        "location": config.azure.location,
        "resource_group": estate.azure.resource_group_name,
        "storage_account": estate.azure.storage_account_name,
        "catalog_storage_root": estate.azure.catalog_storage_root,
        "access_connector_id": estate.azure.access_connector_id,
        "access_connector_principal_id": estate.azure.access_connector_principal_id,
    })

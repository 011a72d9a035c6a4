"""The stack outputs: what the ML projects' CI/CD and the auditors read from the stack."""

from __future__ import annotations

import pulumi

from ..components.access import access_matrix, permission_rows, principals
from .environment import Environment


def export_outputs(environment: Environment) -> None:
    """Export the environment's workspace, identities, folders, settings and access matrix."""
    config = environment.config
    pulumi.export("environment", config.environment)
    pulumi.export(
        "workspace",
        {
            "host": pulumi.Output.concat("https://", environment.workspace.workspace_url),
            "url": environment.workspace.workspace_url,
            "id": environment.workspace.workspace_id,
            "resource_id": environment.workspace.resource_id,
            "metastore_id": config.databricks.metastore_id,
        },
    )
    storage = environment.storage_account
    pulumi.export(
        "azure",
        {
            "subscription_id": config.azure.subscription_id,
            "location": config.azure.location,
            "resource_group": environment.resource_group_name,
            "storage_account": storage.account_name,
            "catalog_storage_root": storage.catalog_storage_root,
            "access_connector_id": storage.access_connector_id,
            "access_connector_principal_id": storage.access_connector_principal_id,
        },
    )
    deployer = environment.deployer
    pulumi.export(
        "deployer",
        {
            "application_id": deployer.application_id,
            "managed_identity_client_id": deployer.client_id,
            "managed_identity_principal_id": deployer.principal_id,
            "federated_subjects": deployer.subjects,
            "entitlements": environment.workspace_access.deployer_entitlements,
        },
    )
    pulumi.export("personas", environment.workspace_access.assignments)
    pulumi.export(
        "folders",
        {
            folder.path: {"purpose": folder.purpose, "access": permission_rows(folder.access)}
            for folder in environment.folders
        },
    )
    hardening, compute = environment.hardening, environment.compute
    pulumi.export(
        "workspace_settings",
        {
            "workspace_conf": hardening.settings,
            "users_group_entitlements": environment.workspace_access.users_group_entitlements,
            "tokens": config.workspace.tokens.model_dump(),
            "personal_compute": config.databricks.personal_compute,
            "token_usage": permission_rows(hardening.token_access),
            "model_registry": permission_rows(hardening.registry_access),
            "cluster_policies": {
                name: permission_rows(entries) for name, entries in compute.policies.items()
            },
        },
    )
    catalogs = {"governed": environment.governed.catalog_name}
    if environment.development:
        catalogs["development"] = environment.development.catalog_name
        catalogs["feature_development_schema"] = environment.development.schema_name
    if config.promotion.source_catalog:
        catalogs["promotion_source"] = config.promotion.source_catalog
    pulumi.export("catalogs", catalogs)
    pulumi.export("schemas", environment.governed.schemas)
    pulumi.export(
        "bindings",
        [
            {
                "securable_type": b.securable_type,
                "securable": b.securable,
                "workspace_id": b.workspace_id,
                "binding_type": b.binding_type,
            }
            for component in environment.unity_catalog
            for b in component.bindings
        ],
    )
    pulumi.export("principals", principals(environment.principals))
    pulumi.export("access_matrix", access_matrix(environment.grants))
    pulumi.export(
        "owners",
        [
            {"securable_type": kind, "securable": securable, "role": owner.role}
            for component in environment.unity_catalog
            for kind, securable, owner in component.owners
        ],
    )

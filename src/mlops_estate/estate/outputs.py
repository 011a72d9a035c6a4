"""The stack outputs: what the ML projects' CI/CD and the auditors read from the stack."""

from __future__ import annotations

import pulumi

from ..components.access import access_matrix, permission_rows, principals
from ..vocabulary.workspace import VERBOSE_AUDIT_LOGS
from .environment import Environment
from .networking import network_outputs


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
    pulumi.export(
        "network",
        network_outputs(
            config,
            environment.network,
            environment.private_link,
            environment.serverless,
            environment.workspace,
        ),
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
    # The evidence catalog is the stack's own as the governed one is; its owner, binding and
    # grants are in `owners`, `bindings` and `access_matrix` with every other catalog's.
    catalogs = {
        "governed": environment.governed.catalog_name,
        "evidence": environment.evidence.catalog_name,
    }
    if environment.development:
        catalogs["development"] = environment.development.catalog_name
        catalogs["feature_development_schema"] = environment.development.schema_name
    if config.promotion.source_catalog:
        catalogs["promotion_source"] = config.promotion.source_catalog
    pulumi.export("catalogs", catalogs)
    # This stack's half of the promotion path, so that an audit of one stack knows the other's:
    # uat grants `reader_group` read on its governed catalog; prod binds that catalog read-only
    # and adds `members` (roles in `principals`) to the group.
    pulumi.export(
        "promotion",
        {
            "reader_group": config.promotion.reader_group,
            "source_catalog": config.promotion.source_catalog or environment.governed.catalog_name,
            "members": ["deployer"] if environment.promotion else [],
        },
    )
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
    export_evidence(environment)
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


def export_evidence(environment: Environment) -> None:
    """Where the logs go, what auditors can query, and which keys encrypt what."""
    config, keys = environment.config, environment.keys
    microsoft = "Microsoft-managed keys"
    encryption: dict[str, object] = dict.fromkeys(
        ("managed_services", "managed_disks", "workspace_storage"), microsoft
    )
    if keys is not None:
        disks = keys.keys["managed-disks"].key_uri
        encryption = {
            "managed_services": keys.keys["managed-services"].key_uri,
            "managed_disks": disks,
            # The root storage takes its key on the second `pulumi up` (config.security).
            "workspace_storage": disks
            if config.encryption.workspace_storage
            else f"{microsoft} until encryption.workspace_storage is switched on",
        }
    evidence = environment.evidence
    pulumi.export(
        "evidence",
        {
            "log_analytics_workspace_id": environment.diagnostics.log_analytics_workspace_id,
            # An existing Log Analytics workspace keeps logs as its owner set it.
            "log_retention_days": (
                config.evidence.logs.retention_days
                if config.evidence.logs.existing_workspace_id is None
                else "as the existing workspace's owner set it"
            ),
            "logs_from": [
                "Azure Databricks workspace (allLogs)",
                "catalog storage blobs (allLogs)",
            ],
            "verbose_audit_logs": environment.hardening.settings[VERBOSE_AUDIT_LOGS] == "true",
            "catalog": evidence.catalog_name,
            "views": evidence.views,
            "view_readers": [config.personas.auditors, config.personas.platform_admins],
            "queries": evidence.queries,
            "encryption": encryption,
            "key_vault": config.encryption.key_vault if keys is not None else None,
        },
    )

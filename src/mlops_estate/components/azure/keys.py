"""Customer-managed keys: a Key Vault of the environment and the keys Azure Databricks
encrypts with, after Databricks' security reference architecture (terraform-databricks-sra
azure/tf/modules/hub/keyvault.tf), with expiry and rotation it leaves out.

The vault authorizes by Azure RBAC (the estate's one access model), keeps deleted keys (soft
delete, purge protection: a purged key makes the data it encrypts unreadable), and lets only
trusted Azure services through its firewall; with a private workspace it takes no public
traffic at all, only its private endpoint's and those services'. Each identity that wraps
and unwraps a key gets "Key Vault Crypto Service Encryption User" on that key alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, keyvault

from ...vocabulary.azure import (
    KEY_OPERATIONS,
    KEY_VAULT_CRYPTO_OFFICER,
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    role_definition_id,
)
from .roles import role_propagated

# "Default for RSA and RSA-HSM keys is 2048" (pulumi_azure_native.keyvault.KeyPropertiesArgs);
# 3072 is the next size the API accepts.
KEY_SIZE = 3072
# "softDelete data retention days. It accepts >=7 and <=90" (VaultPropertiesArgs).
SOFT_DELETE_RETENTION_DAYS = 90
KEY_PURPOSES = ("managed-services", "managed-disks")


@dataclass(frozen=True)
class KeyReference:
    """A key as the Workspace API takes it: "keyName", "keyVaultUri" and "keyVersion" are all
    required (pulumi_azure_native.databricks.EncryptionV2KeyVaultPropertiesArgs)."""

    name: pulumi.Output[str]
    vault_uri: pulumi.Output[str]
    version: pulumi.Output[str]


@dataclass(frozen=True)
class CustomerManagedKeysArgs:
    subscription_id: str
    """For the role definitions' ids."""
    tenant_id: str
    """The vault's Entra tenant: "The Key Vault must be in the same Azure tenant as your Azure
    Databricks workspace" (Learn, customer-managed keys for managed services)."""
    resource_group_name: pulumi.Input[str]
    """The estate's resource group."""
    location: str
    """The Azure region."""
    vault_name: str
    """The vault's globally unique name."""
    azure_databricks_object_id: str
    """The object id of the AzureDatabricks enterprise application, which wraps the managed
    services key."""
    runner_object_id: str
    """The identity that runs `pulumi up`: it creates the keys."""
    first_version_expires: str
    """When the keys' first versions expire, as YYYY-MM-DD."""
    lifetime_days: int
    """How long each rotated version lives."""
    rotate_before_expiry_days: int
    """How long before a version expires its successor is made."""
    tags: dict[str, str]
    """Tags on the vault and the keys."""
    protect: bool
    """Prod: the vault and keys cannot be deleted by `pulumi up` or `destroy`."""
    private: bool = False
    """The workspace is private: so is the vault, reached through its private endpoint."""


class CustomerManagedKeys(pulumi.ComponentResource):
    """Pass the azure-native provider through `opts.providers`."""

    def __init__(
        self, name: str, args: CustomerManagedKeysArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:azure:CustomerManagedKeys", name, None, opts)
        self._args = args
        # Deleting the vault or a key makes what it encrypts unreadable: kept in every stack,
        # protected in Prod.
        kept = pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=True)
        self.vault = keyvault.Vault(
            f"{name}-vault",
            vault_name=args.vault_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=args.tenant_id,
                sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.PREMIUM),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=SOFT_DELETE_RETENTION_DAYS,
                # "Enabling this functionality is irreversible" (VaultPropertiesArgs).
                enable_purge_protection=True,
                # The firewall denies all but trusted Azure services. Azure Databricks (the
                # managed services key), Azure Disk Storage (disk encryption sets) and Azure
                # Storage (the root storage) are rows of the "complete allowlist of trusted
                # services", and "allowlisted services still bypass" with public network
                # access Disabled (Microsoft Learn, key-vault/general/
                # overview-vnet-service-endpoints, "Trusted services"). The
                # runner creates keys through Azure Resource Manager, which the firewall does
                # not govern ("deployment of secrets or keys through ARM templates").
                network_acls=keyvault.NetworkRuleSetArgs(
                    default_action=keyvault.NetworkRuleAction.DENY,
                    bypass=keyvault.NetworkRuleBypassOptions.AZURE_SERVICES,
                ),
                # "If set to 'disabled' all traffic except private endpoint traffic and that
                # that originates from trusted services will be blocked" (VaultPropertiesArgs;
                # the Azure CLI accepts Disabled and Enabled). Unset it is 'enabled', as before.
                public_network_access="Disabled" if args.private else None,
            ),
            tags=args.tags,
            opts=kept,
        )
        # With RBAC authorization, creating a key checks the keys' data actions, which the
        # runner's management roles do not carry (pulumi/pulumi-azure-native#890).
        officer = authorization.RoleAssignment(
            f"{name}-runner-manages-keys",
            principal_id=args.runner_object_id,
            principal_type=authorization.PrincipalType.SERVICE_PRINCIPAL,
            role_definition_id=role_definition_id(args.subscription_id, KEY_VAULT_CRYPTO_OFFICER),
            scope=self.vault.id,
            description="The platform runner creates and rotates the estate's keys",
            opts=pulumi.ResourceOptions(parent=self),
        )
        keys_manageable = role_propagated(f"{name}-runner-manages-keys", officer, self)
        # A key is created once ("If it already exists, then the existing key is returned
        # without any write operations being performed": Keys_CreateIfNotExist, Key Vault
        # 2024-11-01); its later versions follow its rotation policy, not Pulumi.
        key_options = pulumi.ResourceOptions.merge(
            kept,
            pulumi.ResourceOptions(depends_on=[keys_manageable], ignore_changes=["properties"]),
        )
        self.keys = {
            purpose: keyvault.Key(
                f"{name}-{purpose}",
                key_name=f"{purpose}-key",
                vault_name=self.vault.name,
                resource_group_name=args.resource_group_name,
                properties=keyvault.KeyPropertiesArgs(
                    kty=keyvault.JsonWebKeyType.RSA,
                    key_size=KEY_SIZE,
                    # Only wrapping and unwrapping, all Azure Databricks' identities may do
                    # with the keys; the reference's keys allow encrypt, decrypt, sign and
                    # verify too (sra hub/keyvault.tf `key_opts`).
                    key_ops=list(KEY_OPERATIONS),
                    attributes=keyvault.KeyAttributesArgs(
                        enabled=True, expires=epoch_seconds(args.first_version_expires)
                    ),
                    rotation_policy=rotation_policy(
                        args.lifetime_days, args.rotate_before_expiry_days
                    ),
                ),
                tags=args.tags,
                opts=key_options,
            )
            for purpose in KEY_PURPOSES
        }
        self.managed_services_key = key_reference(self.keys["managed-services"])
        self.managed_disk_key = key_reference(self.keys["managed-disks"])
        # The AzureDatabricks application exists before the workspace: the workspace waits
        # for this grant (the reference's azurerm example: depends_on the access policy).
        self.services_ready = role_propagated(
            f"{name}-azure-databricks-services",
            self.grant(
                f"{name}-azure-databricks-services",
                args.azure_databricks_object_id,
                "managed-services",
            ),
            self,
        )
        self.register_outputs({})

    def grant(
        self, name: str, principal_id: pulumi.Input[str], purpose: str
    ) -> authorization.RoleAssignment:
        """Let one identity wrap and unwrap one key."""
        return authorization.RoleAssignment(
            name,
            principal_id=principal_id,
            principal_type=authorization.PrincipalType.SERVICE_PRINCIPAL,
            role_definition_id=role_definition_id(
                self._args.subscription_id, KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER
            ),
            scope=self.keys[purpose].id,
            description=f"Azure Databricks encrypts with the {purpose} key",
            opts=pulumi.ResourceOptions(parent=self),
        )


def rotation_policy(
    lifetime_days: int, rotate_before_expiry_days: int
) -> keyvault.RotationPolicyArgs:
    """Each new version expires after `lifetime_days` ("ISO8601 format. Eg: 'P90D'") and is
    rotated `rotate_before_expiry_days` before it does (KeyRotationPolicyActionType.ROTATE)."""
    return keyvault.RotationPolicyArgs(
        attributes=keyvault.KeyRotationPolicyAttributesArgs(expiry_time=f"P{lifetime_days}D"),
        lifetime_actions=[
            keyvault.LifetimeActionArgs(
                action=keyvault.ActionArgs(type=keyvault.KeyRotationPolicyActionType.ROTATE),
                trigger=keyvault.TriggerArgs(time_before_expiry=f"P{rotate_before_expiry_days}D"),
            )
        ],
    )


def epoch_seconds(day: str) -> int:
    """A date as Key Vault's `expires`: "Expiry date in seconds since 1970-01-01T00:00:00Z"."""
    midnight = datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(), tzinfo=datetime.UTC
    )
    return int(midnight.timestamp())


def key_reference(key: keyvault.Key) -> KeyReference:
    """The parts of a versioned key URL, https://VAULT.vault.azure.net/keys/NAME/VERSION: the
    workspace takes a key version (azurerm validates its key ids as versioned)."""
    parts = key.key_uri_with_version.apply(lambda uri: uri.rstrip("/").split("/"))
    return KeyReference(
        name=parts.apply(lambda p: p[-2]),
        vault_uri=parts.apply(lambda p: "/".join(p[:3]) + "/"),
        version=parts.apply(lambda p: p[-1]),
    )

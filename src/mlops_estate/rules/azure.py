"""Azure rules: hardened workspaces and storage, protected Prod resources, private front ends."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.resource_types import AZURE_WORKSPACE, CATALOG, STORAGE_ACCOUNT
from .registry import rule
from .resource import Resource
from .trust import Trust


@rule(
    "workspace-hardened",
    "mandatory",
    "Every Azure Databricks workspace is premium SKU with secure cluster connectivity (no "
    "public IP).",
    'set sku name "premium" and parameters.enable_no_public_ip value true',
    [AZURE_WORKSPACE],
)
def workspace_hardened(resource: Resource, _: Trust) -> Iterator[str]:
    sku = resource.get("sku", "name")
    if sku != "premium":
        yield f'SKU is {sku or "unset"}: set sku name "premium" (Unity Catalog and ACLs)'
    if resource.get("parameters", "enableNoPublicIp", "value") is not True:
        yield ("secure cluster connectivity is off: set parameters.enable_no_public_ip value true")


@rule(
    "prod-protected",
    "mandatory",
    "In Prod, the workspace, the storage account and governed catalogs are protected "
    "(protect or retain-on-delete) and no catalog sets force_destroy.",
    "set protect=True (or retain_on_delete=True) and remove force_destroy",
    [AZURE_WORKSPACE, STORAGE_ACCOUNT, CATALOG],
)
def prod_protected(resource: Resource, trust: Trust) -> Iterator[str]:
    if not trust.is_prod:
        return
    if resource.type == CATALOG and resource.get("forceDestroy") is True:
        yield "force_destroy is set on a Prod catalog: remove it"
    governed = resource.type != CATALOG or trust.is_governed(resource.get("name") or "")
    if governed and not (resource.protect or resource.retain_on_delete):
        yield "not protected in Prod: set protect=True (or retain_on_delete=True)"


@rule(
    "storage-account-hardened",
    "mandatory",
    "Storage accounts: HTTPS only, minimum TLS 1.2, no public blob access.",
    'set enable_https_traffic_only=True, minimum_tls_version="TLS1_2" and '
    "allow_blob_public_access=False",
    [STORAGE_ACCOUNT],
)
def storage_account_hardened(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.get("enableHttpsTrafficOnly") is not True:
        yield "HTTPS-only is not set: set enable_https_traffic_only=True"
    if resource.get("minimumTlsVersion") not in ("TLS1_2", "TLS1_3"):
        yield 'minimum TLS is below 1.2 or unset: set minimum_tls_version="TLS1_2"'
    if resource.get("allowBlobPublicAccess") is not False:
        yield "public blob access is not disabled: set allow_blob_public_access=False"


@rule(
    "public-network-access-disabled",
    "advisory",
    "Workspaces disable public network access (private link).",
    'set public_network_access "Disabled" and reach the workspace through private link',
    [AZURE_WORKSPACE],
)
def public_network_access_disabled(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.get("publicNetworkAccess") != "Disabled":
        yield (
            'public network access is enabled: set public_network_access "Disabled" and '
            "reach the workspace through private link"
        )

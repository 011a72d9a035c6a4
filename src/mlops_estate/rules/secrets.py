"""Secrets: nothing long-lived is created; deployers authenticate by federation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from pulumi_policy.proxy import UnknownValueError

from ..vocabulary.resource_types import (
    CONNECTION,
    CREDENTIAL,
    METASTORE_DATA_ACCESS,
    PROVIDERS,
    SECRET_BEARING,
    STORAGE_CREDENTIAL,
    short_name,
)
from .registry import rule
from .resource import NotYetKnown, Resource
from .trust import Trust

# The provider inputs that hold a secret: pulumi_databricks.Provider and
# pulumi_azure_native.Provider wrap each of them in `pulumi.Output.secret`.
SECRET_PROVIDER_INPUTS = (
    "token",
    "password",
    "clientSecret",
    "azureClientSecret",
    "clientCertificatePassword",
    "googleCredentials",
)

# The credential blocks of StorageCredential, Credential and MetastoreDataAccess that carry a
# long-lived secret, and the secret each carries (pulumi_databricks `_inputs`):
# azure_service_principal.client_secret, "The client secret generated for the above app ID in
# AAD" (StorageCredential, Credential, MetastoreDataAccess); cloudflare_api_token.
# secret_access_key, "R2 API token secret access key"; gcp_service_account_key.private_key
# (StorageCredential, MetastoreDataAccess). The other blocks (azure_managed_identity,
# aws_iam_role, databricks_gcp_service_account) name an identity and hold no secret.
CREDENTIALS_WITH_BLOCKS = (STORAGE_CREDENTIAL, CREDENTIAL, METASTORE_DATA_ACCESS)
SECRET_CREDENTIAL_BLOCKS = {
    "azureServicePrincipal": "azure_service_principal.client_secret",
    "cloudflareApiToken": "cloudflare_api_token.secret_access_key",
    "gcpServiceAccountKey": "gcp_service_account_key.private_key",
}

# Connection options that hold a secret, matched in the option's name with case, `_`, `-`,
# `.` and spaces removed. pulumi_databricks.Connection: "The required keys depend on the
# connection type, e.g. `host`, `port`, `user`, `password`, `authorization_endpoint`,
# `client_id`, `client_secret`, or `GoogleServiceAccountKeyJson`", and its examples add
# `bearer_token`; terraform-provider-databricks (catalog/resource_connection.go) keeps these
# options as sensitive: password, personalAccessToken, access_token, client_secret,
# pem_private_key, OAuthPvtKey, GoogleServiceAccountKeyJson. The fragments below cover them
# and the other spellings of a password, a key or a token.
SECRET_OPTION_FRAGMENTS = (
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "privatekey",
    "pvtkey",
    "keyjson",
    "serviceaccountkey",
    "accesskey",
    "apikey",
    "accountkey",
    "sharedkey",
    "signingkey",
    "credential",
    "sastoken",
)
# A value that is a private key or a service account key, whatever its option is called.
SECRET_OPTION_VALUE = re.compile(r"PRIVATE KEY|\"private_key\"|\"type\"\s*:\s*\"service_account\"")


def _squashed(name: object) -> str:
    return re.sub(r"[\s_.\-]", "", str(name)).lower()


def connection_secrets(resource: Resource) -> list[str]:
    """The options of a Connection that hold a secret, by name or by value."""
    options = resource.get("options", default={})
    if not isinstance(options, Mapping):
        return ["options"] if options else []
    named = [str(key) for key in options if _names_a_secret(key)]
    if named:
        return named
    # A value can be unknown in a preview; the names are not.
    by_value, unknown = [], False
    for key in options:
        try:
            value = options[key]
        except UnknownValueError:
            unknown = True
            continue
        if SECRET_OPTION_VALUE.search(str(value)):
            by_value.append(str(key))
    if unknown and not by_value:
        raise NotYetKnown("options")
    return by_value


def _names_a_secret(key: object) -> bool:
    return any(fragment in _squashed(key) for fragment in SECRET_OPTION_FRAGMENTS)


@rule(
    "no-long-lived-secrets",
    "mandatory",
    "No personal access token, service principal secret, client secret, Git credential, "
    "stored secret or connection secret is created, no storage or service credential holds a "
    "client secret or a key, and no provider is given one; deployers authenticate by "
    "federation.",
    "authenticate with a federated managed identity (GitHub Actions OIDC) or the Azure CLI",
    [*SECRET_BEARING, *PROVIDERS, CONNECTION, *CREDENTIALS_WITH_BLOCKS],
)
def no_long_lived_secrets(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.type == CONNECTION:
        if resource.get("secrets") or connection_secrets(resource):
            yield (
                "the connection stores a credential: use a Unity Catalog service credential "
                "or a managed identity instead"
            )
        return
    if resource.type in CREDENTIALS_WITH_BLOCKS:
        for block, secret in SECRET_CREDENTIAL_BLOCKS.items():
            if resource.get(block):
                yield (
                    f"{short_name(resource.type)} holds a long-lived secret ({secret}): use "
                    "azure_managed_identity with the environment's access connector instead"
                )
        return
    if resource.type in SECRET_BEARING:
        yield (
            f"{short_name(resource.type)} creates a long-lived secret: authenticate "
            "with a federated managed identity (GitHub Actions OIDC) instead"
        )
        return
    for key in SECRET_PROVIDER_INPUTS:
        if resource.get(key):
            yield (
                f"the provider is given {key}: authenticate by federation (OIDC) or the "
                "Azure CLI instead"
            )

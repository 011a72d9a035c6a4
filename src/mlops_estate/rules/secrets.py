"""Secrets: nothing long-lived is created; deployers authenticate by federation."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.resource_types import CONNECTION, PROVIDERS, SECRET_BEARING, short_name
from .registry import rule
from .resource import Resource
from .trust import Trust

SECRET_PROVIDER_INPUTS = (
    "token",
    "password",
    "clientSecret",
    "azureClientSecret",
    "clientCertificatePassword",
)


@rule(
    "no-long-lived-secrets",
    "mandatory",
    "No personal access token, service principal secret, client secret, Git credential, "
    "stored secret or connection secret is created, and no provider is given one; deployers "
    "authenticate by federation.",
    "authenticate with a federated managed identity (GitHub Actions OIDC) or the Azure CLI",
    [*SECRET_BEARING, *PROVIDERS, CONNECTION],
)
def no_long_lived_secrets(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.type == CONNECTION:
        if resource.get("secrets") or any(
            word in str(key).lower()
            for key in resource.get("options", default={})
            for word in ("password", "secret", "token")
        ):
            yield (
                "the connection stores a credential: use a Unity Catalog service credential "
                "or a managed identity instead"
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

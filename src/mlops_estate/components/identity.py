"""The deployer identity of an environment: federated, with no secret anywhere."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks
from pulumi_azure_native import managedidentity

from ..vocabulary.azure import ENTRA_TOKEN_EXCHANGE_AUDIENCE, GITHUB_OIDC_ISSUER, github_subject
from .access import Principal


@dataclass(frozen=True)
class GithubEnvironmentTrust:
    repository: str
    """ORG/REPO whose workflows may act as the deployer."""
    environment: str
    """The GitHub environment those workflows' jobs must run in."""

    @property
    def subject(self) -> str:
        """The subject GitHub Actions puts in the OIDC token of a job bound to the environment."""
        return github_subject(self.repository, self.environment)


@dataclass(frozen=True)
class DeployerIdentityArgs:
    identity_name: str
    """The user-assigned managed identity's name."""
    resource_group_name: pulumi.Input[str]
    """The resource group it lives in."""
    location: str
    """The Azure region."""
    github: list[GithubEnvironmentTrust]
    """Who may act as the deployer: one federated credential each."""
    tags: dict[str, str]
    """Tags on the identity."""
    protect: bool = False
    """Protect the identity against deletion (Prod). It outlives the stack everywhere."""


class DeployerIdentity(pulumi.ComponentResource):
    """A user-assigned managed identity trusted by GitHub Actions OIDC, added to Databricks.

    Pass the azure-native provider and the account-level Databricks provider through
    `opts.providers`.
    """

    client_id: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    application_id: pulumi.Output[str]
    service_principal_id: pulumi.Output[str]
    subjects: list[str]

    def __init__(
        self, name: str, args: DeployerIdentityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:identity:DeployerIdentity", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=args.identity_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=True),
        )
        self.subjects = [trust.subject for trust in args.github]
        # "Creating multiple federated identity credentials under the same user-assigned
        # managed identity concurrently triggers concurrency detection logic, which causes
        # requests to fail with 409-conflict" ... "automation [must create them] sequentially"
        # (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations;
        # pulumi/pulumi-azure-native#4343): each credential waits for the one before it.
        previous: list[pulumi.Resource] = []
        for index, subject in enumerate(self.subjects):
            credential = managedidentity.FederatedIdentityCredential(
                f"{name}-github-{index}",
                federated_identity_credential_resource_name=f"github-{index}",
                resource_name_=identity.name,
                resource_group_name=args.resource_group_name,
                issuer=GITHUB_OIDC_ISSUER,
                audiences=[ENTRA_TOKEN_EXCHANGE_AUDIENCE],
                subject=subject,
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
            )
            previous = [credential]
        service_principal = databricks.ServicePrincipal(
            f"{name}-service-principal",
            application_id=identity.client_id,
            display_name=args.identity_name,
            opts=child,
        )
        self.client_id = identity.client_id
        self.principal_id = identity.principal_id
        self.application_id = service_principal.application_id
        self.service_principal_id = service_principal.id
        self.register_outputs({"client_id": self.client_id, "application_id": self.application_id})

    @property
    def principal(self) -> Principal:
        return Principal(role="deployer", kind="service_principal", name=self.application_id)

"""The declared estate of one stack, in the shape the audit compares the live workspace with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ...rules import Trust
from ...vocabulary.unity_catalog import Binding
from ...vocabulary.workspace import CAN_MANAGE
from ...vocabulary.workspace import ENTITLEMENTS as ENTITLEMENT_TERMS
from .schema import AccessRow, DeclaredOutputs, EntitlementsOutput

# Output entitlement key -> the value SCIM reads and writes ("workspace-access", ...).
SCIM_ENTITLEMENTS = {key: value for key, value in ENTITLEMENT_TERMS.values()}

Principal = tuple[str, str]  # (kind: group | service_principal | user, name)
Acl = dict[Principal, str]  # principal -> permission level
Grants = dict[str, frozenset[str]]  # principal -> privileges


def scim_entitlements(entitlements: EntitlementsOutput) -> frozenset[str]:
    """The entitlements granted, as SCIM names them."""
    return frozenset(SCIM_ENTITLEMENTS[k] for k, on in entitlements.model_dump().items() if on)


@dataclass(frozen=True)
class DeclaredEstate:
    """One stack's declared estate: what its outputs say, with the platform facts that follow
    from it (cited where they are applied)."""

    outputs: DeclaredOutputs

    @property
    def environment(self) -> str:
        return self.outputs.environment

    @property
    def host(self) -> str:
        return self.outputs.workspace.host

    @property
    def workspace_id(self) -> str:
        return self.outputs.workspace.id

    @cached_property
    def principals(self) -> dict[str, Principal]:
        """Role -> (kind, name)."""
        return {role: (p.kind, p.name) for role, p in self.outputs.principals.items()}

    @cached_property
    def role_of(self) -> dict[str, str]:
        """Principal name -> role, to show every declared principal by its role."""
        return {name: role for role, (_, name) in sorted(self.principals.items(), reverse=True)}

    def label(self, name: str, kind: str | None = None) -> str:
        """A principal as reports show it: its kind if known, its name, and its role if it is
        a declared one (the runner included)."""
        role = self.role_of.get(name)
        text = f"{kind.replace('_', ' ')} {name}" if kind else name
        return f"{text} ({role})" if role else text

    def name_of(self, role: str) -> str:
        return self.principals[role][1]

    @property
    def runner(self) -> str:
        """The identity that runs `pulumi up` (platform.runner.application_id): a declared,
        privileged principal, shown like any other, never taken for the platform's own."""
        return self.name_of("runner")

    @property
    def deployer(self) -> str:
        return self.name_of("deployer")

    def _acl(self, rows: list[AccessRow]) -> Acl:
        return {self.principals[row.role]: row.permission_level for row in rows}

    @cached_property
    def owners(self) -> dict[tuple[str, str], str]:
        """(securable type, name) -> owner, for every securable this stack declares."""
        return {
            (row.securable_type, row.securable): self.name_of(row.role)
            for row in self.outputs.owners
        }

    @cached_property
    def bindings(self) -> frozenset[Binding]:
        return frozenset(
            Binding(b.securable_type, b.securable, b.workspace_id, b.binding_type)
            for b in self.outputs.bindings
        )

    @cached_property
    def securables(self) -> frozenset[tuple[str, str]]:
        """Every securable the stack owns or binds (another stack's, for the promotion)."""
        return frozenset(self.owners) | {(b.securable_type, b.securable) for b in self.bindings}

    def bindings_of(self, kind: str, name: str) -> frozenset[tuple[str, str]]:
        """(workspace id, binding type) this stack declares for one securable."""
        return frozenset(
            (b.workspace_id, b.binding_type)
            for b in self.bindings
            if (b.securable_type, b.securable) == (kind, name)
        )

    @cached_property
    def grants(self) -> dict[tuple[str, str], Grants]:
        """Direct grants on every securable this stack declares (none: an empty dict)."""
        grants: dict[tuple[str, str], Grants] = {key: {} for key in self.owners}
        for row in self.outputs.access_matrix:
            grants.setdefault((row.securable_type, row.securable), {})[self.name_of(row.role)] = (
                frozenset(row.privileges)
            )
        return grants

    def effective_grants(self, kind: str, name: str) -> Grants:
        """What each principal holds on a securable, its catalog's grants included: privileges
        on a catalog "are inherited by all current and future objects within" it
        (learn.microsoft.com/azure/databricks/data-governance/unity-catalog/manage-privileges,
        "Privilege inheritance"); metastore grants are not inherited (same page)."""
        held = dict(self.grants.get((kind, name), {}))
        if kind == "schema":
            for principal, privileges in self.grants.get(
                ("catalog", name.split(".")[0]), {}
            ).items():
                held[principal] = held.get(principal, frozenset()) | privileges
        return held

    @cached_property
    def folders(self) -> dict[str, Acl]:
        return {path: self._acl(folder.access) for path, folder in self.outputs.folders.items()}

    @property
    def tokens_enabled(self) -> bool:
        return self.outputs.workspace_settings.tokens.enabled

    @cached_property
    def token_usage(self) -> Acl:
        return self._acl(self.outputs.workspace_settings.token_usage)

    @property
    def token_owners(self) -> frozenset[str]:
        """Who may hold a personal access token: with tokens on, the deployer, the one the
        estate lets use them (estate/environment.py, `token_users`); with tokens off, nobody."""
        return frozenset({self.deployer}) if self.tokens_enabled else frozenset()

    @cached_property
    def registry(self) -> Acl | None:
        """The workspace model registry's access list, where the estate sets one (Prod).

        The provider adds the identity that writes it, with CAN_MANAGE, to every registered
        model access list, the root included (terraform-provider-databricks
        permissions/permission_definitions.go: registered-models `updateAclCustomizers`
        `update.AddCurrentUserAsManage`): that identity is the runner.
        """
        rows = self.outputs.workspace_settings.model_registry
        if not rows:
            return None
        return {**self._acl(rows), ("service_principal", self.runner): CAN_MANAGE}

    @cached_property
    def personal_compute_users(self) -> Acl | None:
        """Who may use the built-in Personal Compute policy, where the estate sets it (the
        account's setting is DELEGATE); cluster policies get no added manager
        (terraform-provider-databricks permission_definitions.go: cluster-policies)."""
        rows = self.outputs.workspace_settings.cluster_policies.get("builtin_personal_compute")
        return None if rows is None else self._acl(rows)

    @property
    def personal_compute(self) -> str:
        return self.outputs.workspace_settings.personal_compute

    @cached_property
    def personas(self) -> dict[str, frozenset[str]]:
        """Persona group -> the entitlements its members hold (its own and the users group's,
        as the outputs report them)."""
        return {p.group: scim_entitlements(p.entitlements) for p in self.outputs.personas}

    @property
    def users_entitlements(self) -> frozenset[str]:
        return scim_entitlements(self.outputs.workspace_settings.users_group_entitlements)

    @property
    def deployer_entitlements(self) -> frozenset[str]:
        return scim_entitlements(self.outputs.deployer.entitlements)

    @cached_property
    def assignments(self) -> dict[Principal, frozenset[str]]:
        """Who the stack assigns to its workspace, with which workspace permissions."""
        assigned = {("group", p.group): frozenset(p.permissions) for p in self.outputs.personas}
        assigned[("service_principal", self.deployer)] = frozenset({"USER"})
        return assigned

    @property
    def conf(self) -> dict[str, str]:
        return self.outputs.workspace_settings.workspace_conf

    @property
    def governed_catalog(self) -> str:
        return self.outputs.catalogs.governed

    @property
    def promotion_source(self) -> str:
        """The UAT catalog the promotion reads: uat's governed catalog, named by both stacks."""
        return self.outputs.promotion.source_catalog

    @property
    def reader_group(self) -> str:
        return self.outputs.promotion.reader_group

    @property
    def trust(self) -> Trust:
        """What the rules trust on the live state: the declared environment and principals."""
        catalogs = self.outputs.catalogs
        tokens = self.outputs.workspace_settings.tokens
        return Trust(
            stack=self.environment,
            environment=self.environment,
            governed_catalog=catalogs.governed,
            evidence_catalog=catalogs.evidence,
            platform_admins=self.name_of("platform_admins"),
            auditors=self.principals.get("auditors", ("", ""))[1],
            data_scientists=self.name_of("data_scientists"),
            development_catalog=catalogs.development,
            feature_development_schema=catalogs.feature_development_schema,
            workspace_name=self.host,
            persona_groups=frozenset(self.personas),
            runner_application_id=self.runner,
            promotion_group=self.reader_group,
            promotion_source=catalogs.promotion_source or "",
            tokens_enabled=tokens.enabled,
            token_permissions_managed=tokens.manage_permissions,
            max_token_lifetime_days=tokens.max_lifetime_days,
            personal_compute=self.personal_compute,
        )

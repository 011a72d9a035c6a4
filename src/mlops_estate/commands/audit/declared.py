"""The declared estate, from stack outputs or an offline plan, in the shape the audit compares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...rules import Trust
from ...vocabulary.unity_catalog import Binding
from ...vocabulary.workspace import ENTITLEMENTS
from ..documents import EstateDocument

# Securables that also have effective (inherited) grants.
EFFECTIVE_TYPES = ("catalog", "schema")
# Config / output entitlement key -> the value the SCIM API reads.
SCIM_ENTITLEMENTS = {key: value for key, value in ENTITLEMENTS.values()}

Acl = dict[tuple[str, str], str]  # (principal kind, principal) -> permission level


class DeclarationError(Exception):
    """The document lacks what the audit needs: the message names the missing output."""


@dataclass(frozen=True)
class DeclaredEstate:
    environment: str
    host: str
    workspace_id: str
    principals: dict[str, dict[str, str]]  # role -> kind, name
    owners: dict[tuple[str, str], str]  # (securable type, name) -> owner principal
    bindings: frozenset[Binding]
    grants: dict[tuple[str, str], dict[str, frozenset[str]]]
    folders: dict[str, Acl]
    token_usage: Acl
    registry: Acl
    personas: dict[str, frozenset[str]]  # group -> entitlement values
    conf: dict[str, str]
    tokens: dict[str, Any]
    """workspace.tokens of the config: enabled, manage_permissions, max_lifetime_days."""
    personal_compute: str
    governed_catalog: str
    development_catalog: str | None
    feature_development_schema: str | None

    @property
    def trust(self) -> Trust:
        """What the rules trust on the live state: the declared environment and principals."""
        schema = self.feature_development_schema
        return Trust(
            stack=self.environment,
            environment=self.environment,
            governed_catalog=self.governed_catalog,
            platform_admins=self.principals.get("platform_admins", {}).get("name", ""),
            data_scientists=self.principals.get("data_scientists", {}).get("name", ""),
            development_catalog=self.development_catalog,
            feature_development_schema=(
                f"{self.development_catalog}.{schema}"
                if self.development_catalog and schema
                else None
            ),
            workspace_name=self.host,
            persona_groups=frozenset(self.personas),
            tokens_enabled=bool(self.tokens.get("enabled")),
            token_permissions_managed=bool(self.tokens.get("manage_permissions")),
            max_token_lifetime_days=int(self.tokens.get("max_lifetime_days", 90)),
            personal_compute=self.personal_compute,
        )

    @property
    def binding_securables(self) -> list[tuple[str, str]]:
        return sorted(
            {(b.securable_type, b.securable) for b in self.bindings}
            | {key for key in self.owners if key[0] != "schema"}
        )


def _acl(entries: list[dict[str, str]], principals: dict[str, dict[str, str]]) -> Acl:
    return {
        (principals[e["role"]]["kind"], principals[e["role"]]["name"]): e["permission_level"]
        for e in entries
    }


def declared_estate(document: EstateDocument) -> DeclaredEstate:
    outputs: dict[str, Any] = document.outputs
    missing = [
        key
        for key in (
            "workspace",
            "principals",
            "owners",
            "bindings",
            "access_matrix",
            "folders",
            "personas",
            "workspace_settings",
        )
        if key not in outputs
    ]
    if missing:
        raise DeclarationError(
            f"the declared estate lacks the stack outputs {', '.join(missing)}"
            "; pass `pulumi stack output --json` of this estate"
        )
    principals = {
        role: {"kind": p["kind"], "name": str(p["name"])}
        for role, p in outputs["principals"].items()
    }

    def name_of(role: str) -> str:
        return principals[role]["name"]

    settings = outputs["workspace_settings"]
    grants: dict[tuple[str, str], dict[str, frozenset[str]]] = {
        (o["securable_type"], o["securable"]): {} for o in outputs["owners"]
    }
    for row in outputs["access_matrix"]:
        grants.setdefault((row["securable_type"], row["securable"]), {})[name_of(row["role"])] = (
            frozenset(row["privileges"])
        )
    catalogs = outputs.get("catalogs", {})
    development_schema = catalogs.get("feature_development_schema")
    return DeclaredEstate(
        environment=str(outputs.get("environment", document.stack)),
        host=str(outputs["workspace"].get("host", "")),
        workspace_id=str(outputs["workspace"].get("id", "")),
        principals=principals,
        owners={
            (o["securable_type"], o["securable"]): name_of(o["role"]) for o in outputs["owners"]
        },
        bindings=frozenset(
            Binding(b["securable_type"], b["securable"], str(b["workspace_id"]), b["binding_type"])
            for b in outputs["bindings"]
        ),
        grants=grants,
        folders={
            path: _acl(folder["access"], principals) for path, folder in outputs["folders"].items()
        },
        token_usage=_acl(settings.get("token_usage", []), principals),
        registry=_acl(settings.get("model_registry", []), principals),
        personas={
            p["group"]: frozenset(SCIM_ENTITLEMENTS[k] for k, on in p["entitlements"].items() if on)
            for p in outputs["personas"]
        },
        conf={k: str(v) for k, v in settings.get("workspace_conf", {}).items()},
        tokens=dict(settings.get("tokens", {})),
        personal_compute=str(settings.get("personal_compute", "ON")),
        governed_catalog=str(catalogs.get("governed", "")),
        development_catalog=catalogs.get("development"),
        feature_development_schema=(
            development_schema.split(".", 1)[1] if development_schema else None
        ),
    )

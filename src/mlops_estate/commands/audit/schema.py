"""The declared estate as `pulumi stack output --json` gives it, validated strictly.

The audit trusts nothing it was not given: a file without a section the audit needs, another
project's outputs, a truncated file or a JSON array is refused (exit 2) with a message naming
each missing or malformed key, never audited as "clean" on what happens to be there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ...config.errors import rejected
from ...config.values import GroupName, UcName, Uuid, matching
from ...rules.readers import is_service_principal
from ...vocabulary.unity_catalog import PRIVILEGES, READ_ONLY, READ_WRITE
from ...vocabulary.workspace import PERMISSION_LEVELS
from .hosts import workspace_id_of

# The roles every stack's outputs name (estate/outputs.py, `principals`).
REQUIRED_ROLES = ("deployer", "runner", "data_scientists", "ml_engineers", "platform_admins")
# The role of the account group that may read UAT's models schemas: the uat stack grants it.
PROMOTION_READERS = "promotion_readers"


class DeclarationError(Exception):
    """The declared outputs cannot be audited: the message names the file and every bad key."""


def _privilege(value: str) -> str:
    if value not in PRIVILEGES:
        raise rejected(value, "a Unity Catalog privilege (databricks-sdk catalog.Privilege)")
    return value


def _permission_level(value: str) -> str:
    if value not in PERMISSION_LEVELS:
        raise rejected(value, "a permission level (databricks-sdk iam.PermissionLevel)")
    return value


Privilege = Annotated[str, AfterValidator(_privilege)]
PermissionLevel = Annotated[str, AfterValidator(_permission_level)]
WorkspaceId = Annotated[
    str, AfterValidator(matching(r"[0-9]{1,19}", "a numeric workspace id, as a string"))
]
Name = Annotated[str, Field(min_length=1)]
SecurableType = Literal["catalog", "schema", "storage_credential", "external_location"]
BindingSecurableType = Literal["catalog", "storage_credential", "external_location", "credential"]


class _Row(BaseModel):
    """A row the estate writes whole: every key required, no other key."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Section(BaseModel):
    """A section the audit reads parts of: those required, others (future outputs) ignored."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class WorkspaceOutput(_Section):
    host: Name
    id: WorkspaceId
    metastore_id: Uuid


class PrincipalOutput(_Row):
    kind: Literal["group", "service_principal"]
    name: Name


class OwnerRow(_Row):
    securable_type: SecurableType
    securable: Name
    role: Name


class BindingRow(_Row):
    securable_type: BindingSecurableType
    securable: Name
    workspace_id: WorkspaceId
    binding_type: Literal[READ_WRITE, READ_ONLY]


class GrantRow(_Row):
    role: Name
    securable_type: SecurableType
    securable: Name
    privileges: list[Privilege]


class AccessRow(_Row):
    role: Name
    permission_level: PermissionLevel


class FolderOutput(_Row):
    purpose: Literal["deployment", "pr_validation"]
    access: list[AccessRow]


class EntitlementsOutput(_Row):
    workspace_access: bool
    databricks_sql_access: bool
    workspace_consume: bool
    allow_cluster_create: bool
    allow_instance_pool_create: bool


class PersonaOutput(_Row):
    role: Name
    group: GroupName
    permissions: list[Literal["USER", "ADMIN"]]
    entitlements: EntitlementsOutput


class TokensOutput(_Row):
    enabled: bool
    manage_permissions: bool
    max_lifetime_days: int


class WorkspaceSettingsOutput(_Section):
    workspace_conf: dict[str, str]
    users_group_entitlements: EntitlementsOutput
    tokens: TokensOutput
    personal_compute: Literal["ON", "DELEGATE"]
    token_usage: list[AccessRow]
    model_registry: list[AccessRow]
    cluster_policies: dict[str, list[AccessRow]]


class CatalogsOutput(_Section):
    governed: UcName
    evidence: UcName
    development: UcName | None = None
    feature_development_schema: Name | None = None
    promotion_source: UcName | None = None


class DeployerOutput(_Section):
    application_id: Uuid
    entitlements: EntitlementsOutput


class PromotionOutput(_Row):
    """The promotion path as this stack declares its half: uat grants `reader_group` read on
    `source_catalog` (its governed catalog); prod binds it read-only and adds `members`."""

    reader_group: GroupName
    source_catalog: UcName
    members: list[Name]


class DeclaredOutputs(_Section):
    environment: Literal["uat", "prod"]
    workspace: WorkspaceOutput
    deployer: DeployerOutput
    principals: dict[str, PrincipalOutput]
    personas: list[PersonaOutput]
    folders: dict[str, FolderOutput]
    workspace_settings: WorkspaceSettingsOutput
    catalogs: CatalogsOutput
    bindings: list[BindingRow]
    access_matrix: list[GrantRow]
    owners: list[OwnerRow]
    promotion: PromotionOutput


def _key(loc: tuple[str | int, ...]) -> str:
    """`access_matrix[3].privileges[0]` from ("access_matrix", 3, "privileges", 0)."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(the document)"


def _described(error: Any) -> str:
    if error["type"] == "missing":
        return f"{_key(error['loc'])}: missing"
    if error["type"] == "extra_forbidden":
        return f"{_key(error['loc'])}: not a key of the estate's outputs"
    return f"{_key(error['loc'])}: {error['msg']}"


def _role_problems(outputs: DeclaredOutputs) -> list[str]:
    """Every role a row names is a declared principal; the estate's own roles are there."""
    roles = set(outputs.principals)
    required = [*REQUIRED_ROLES, *([PROMOTION_READERS] if outputs.environment == "uat" else [])]
    problems = [f"principals.{role}: missing" for role in required if role not in roles]
    named: list[tuple[str, str]] = [
        *((f"owners[{i}].role", row.role) for i, row in enumerate(outputs.owners)),
        *((f"access_matrix[{i}].role", row.role) for i, row in enumerate(outputs.access_matrix)),
        *((f"personas[{i}].role", row.role) for i, row in enumerate(outputs.personas)),
        *(
            (f"folders.{path}.access[{i}].role", row.role)
            for path, folder in outputs.folders.items()
            for i, row in enumerate(folder.access)
        ),
        *(
            (f"workspace_settings.{section}[{i}].role", row.role)
            for section, rows in (
                ("token_usage", outputs.workspace_settings.token_usage),
                ("model_registry", outputs.workspace_settings.model_registry),
                *(
                    (f"cluster_policies.{name}", rows)
                    for name, rows in outputs.workspace_settings.cluster_policies.items()
                ),
            )
            for i, row in enumerate(rows)
        ),
        *((f"promotion.members[{i}]", role) for i, role in enumerate(outputs.promotion.members)),
    ]
    problems += [
        f"{key}: {role!r} is not a role in principals" for key, role in named if role not in roles
    ]
    for role in ("deployer", "runner"):
        principal = outputs.principals.get(role)
        if principal and (
            principal.kind != "service_principal" or not is_service_principal(principal.name)
        ):
            problems.append(f"principals.{role}: not a service principal named by application id")
    deployer = outputs.principals.get("deployer")
    if deployer and deployer.name != outputs.deployer.application_id:
        problems.append("principals.deployer.name: differs from deployer.application_id")
    for i, persona in enumerate(outputs.personas):
        principal = outputs.principals.get(persona.role)
        if principal and (principal.kind, principal.name) != ("group", persona.group):
            problems.append(f"personas[{i}].group: differs from principals.{persona.role}")
    return problems


def _estate_problems(outputs: DeclaredOutputs) -> list[str]:
    """What only the estate's own outputs satisfy: one workspace, its catalogs, its promotion."""
    problems = _role_problems(outputs)
    host_id = workspace_id_of(outputs.workspace.host)
    if host_id != outputs.workspace.id:
        problems.append(
            f"workspace.host: {outputs.workspace.host!r} is not the per-workspace URL of "
            f"workspace.id {outputs.workspace.id} (https://adb-<workspace id>.<n>."
            "azuredatabricks.net)"
        )
    owned = {(row.securable_type, row.securable) for row in outputs.owners}
    catalogs = outputs.catalogs
    for key, name in (
        ("governed", catalogs.governed),
        ("evidence", catalogs.evidence),
        ("development", catalogs.development),
    ):
        if name and ("catalog", name) not in owned:
            problems.append(f"catalogs.{key}: {name!r} has no row in owners")
    source = catalogs.governed if outputs.environment == "uat" else catalogs.promotion_source
    if outputs.promotion.source_catalog != source:
        problems.append(
            f"promotion.source_catalog: {outputs.promotion.source_catalog!r} is not the "
            f"{outputs.environment} stack's promotion catalog ({source!r})"
        )
    return problems


def parse_declared(document: object, source: str) -> DeclaredOutputs:
    """Validate one stack's outputs; DeclarationError names `source` and every bad key."""
    if isinstance(document, dict) and isinstance(document.get("resources"), list):
        document = document.get("outputs")  # an `estate plan --json`: its outputs
    if not isinstance(document, dict):
        kind = "an array" if isinstance(document, list) else type(document).__name__
        raise DeclarationError(
            f"{source}: expected a JSON object of stack outputs (pulumi stack output --json), "
            f"got {kind}"
        )
    try:
        outputs = DeclaredOutputs.model_validate(document)
    except ValidationError as error:
        problems = [_described(e) for e in error.errors()]
        raise DeclarationError(_message(source, problems)) from None
    problems = _estate_problems(outputs)
    if problems:
        raise DeclarationError(_message(source, problems))
    return outputs


def _message(source: str, problems: list[str]) -> str:
    return (
        f"{source}: not the outputs of an mlops-estate stack (pulumi stack output --json):\n  "
        + "\n  ".join(problems)
    )


def read_declared(path: Path) -> DeclaredOutputs:
    """Read and validate a declared-outputs file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DeclarationError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DeclarationError(f"{path}: cannot be read ({error})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DeclarationError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno}); "
            "is it truncated?"
        ) from None
    return parse_declared(document, str(path))

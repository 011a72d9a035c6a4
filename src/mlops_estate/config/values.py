"""Value types of the stack config: each rejects what the real API would, and says why."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import AfterValidator

from ..vocabulary.unity_catalog import (
    DEVELOPMENT_CATALOG_PRIVILEGES,
    HUMAN_GOVERNED_PRIVILEGES,
    PRIVILEGES,
)
from ..vocabulary.workspace import (
    HUMAN_FOLDER_LEVELS,
    HUMAN_WRITABLE_ROOTS,
    PERMISSION_LEVELS,
    under_human_writable_root,
)
from .errors import rejected


def matching(pattern: str, allowed: str) -> Callable[[str], str]:
    """A validator that accepts strings matching `pattern` and otherwise says what is allowed."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise rejected(value, allowed)
        return value

    return check


def _uuid(value: str) -> str:
    try:
        canonical = str(uuid.UUID(value)) == value.lower()
    except ValueError:
        canonical = False
    if not canonical:
        raise rejected(value, "a UUID such as 00000000-0000-0000-0000-000000000000")
    return value


_absolute_path = matching(
    r"(/[A-Za-z0-9._ -]+)+",
    "an absolute workspace path such as /Deployments/mlops, without '//' or a trailing '/'",
)


def _workspace_folder(value: str) -> str:
    if under_human_writable_root(value):
        raise rejected(
            value,
            f"estate folders must not lie under {' or '.join(HUMAN_WRITABLE_ROOTS)}"
            ", where humans can write",
        )
    _absolute_path(value)
    if any(segment in (".", "..") for segment in value.split("/")):
        raise rejected(value, "no '.' or '..' segments")
    return value


def _privilege_among(allowed: frozenset[str], where: str) -> Callable[[str], str]:
    """A Unity Catalog privilege the API accepts, and one of `allowed` in this place."""

    def check(value: str) -> str:
        if value not in PRIVILEGES:
            raise rejected(
                value,
                "a Unity Catalog privilege the API accepts (databricks-sdk "
                "catalog.Privilege), such as SELECT or USE_SCHEMA",
            )
        if value not in allowed:
            raise rejected(value, f"{where} only {', '.join(sorted(allowed))}")
        return value

    return check


def _human_folder_level(value: str) -> str:
    if value not in PERMISSION_LEVELS:
        raise rejected(
            value,
            "a workspace permission level the API accepts (databricks-sdk "
            "iam.PermissionLevel), such as CAN_READ",
        )
    if value not in HUMAN_FOLDER_LEVELS:
        raise rejected(
            value,
            f"humans hold on deployment folders only {', '.join(sorted(HUMAN_FOLDER_LEVELS))}",
        )
    return value


Uuid = Annotated[str, AfterValidator(_uuid)]
HumanFolderLevel = Annotated[str, AfterValidator(_human_folder_level)]
GovernedHumanPrivilege = Annotated[
    str,
    AfterValidator(
        _privilege_among(HUMAN_GOVERNED_PRIVILEGES, "humans hold on governed catalogs and schemas")
    ),
]
DevelopmentCatalogPrivilege = Annotated[
    str,
    AfterValidator(
        _privilege_among(
            DEVELOPMENT_CATALOG_PRIVILEGES, "data scientists hold on the development catalog itself"
        )
    ),
]
UcName = Annotated[
    str,
    AfterValidator(
        matching(
            r"[a-z][a-z0-9_]{0,62}",
            "a Unity Catalog name of lowercase letters, digits and underscores, starting with a "
            "letter, at most 63 characters",
        )
    ),
]
ProjectName = Annotated[
    str,
    AfterValidator(
        matching(
            r"[a-z][a-z0-9_]{0,39}",
            "lowercase letters, digits and underscores, starting with a letter, at most 40 "
            "characters (it prefixes the project's schema names)",
        )
    ),
]
WorkspaceFolder = Annotated[str, AfterValidator(_workspace_folder)]
GithubRepository = Annotated[
    str,
    AfterValidator(
        matching(
            r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}",
            "ORG/REPO, the GitHub organisation (or user) and repository, such as "
            "contoso/ml-platform",
        )
    ),
]
GithubEnvironment = Annotated[
    str,
    AfterValidator(
        matching(
            r"[A-Za-z0-9._-]{1,255}", "a GitHub environment name of letters, digits, '.', '_', '-'"
        )
    ),
]
GroupName = Annotated[
    str,
    AfterValidator(
        matching(
            r"[A-Za-z0-9][A-Za-z0-9 ._@()-]{0,254}",
            "an account-level group display name (letters, digits, spaces and . _ @ ( ) -)",
        )
    ),
]
AzureLocation = Annotated[
    str, AfterValidator(matching(r"[a-z][a-z0-9]{2,39}", "an Azure region name such as westeurope"))
]
ResourceGroupName = Annotated[
    str,
    AfterValidator(
        matching(
            r"[-\w.()]{0,89}[-\w()]",
            "1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
        )
    ),
]
StorageAccountName = Annotated[
    str,
    AfterValidator(
        matching(r"[a-z0-9]{3,24}", "3-24 lowercase letters and digits, globally unique")
    ),
]
AzureResourceName = Annotated[
    str,
    AfterValidator(
        matching(
            r"[A-Za-z0-9][A-Za-z0-9_-]{1,62}",
            "3-64 letters, digits, '-' or '_', starting with a letter or digit",
        )
    ),
]
VirtualNetworkId = Annotated[
    str,
    AfterValidator(
        matching(
            r"/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]+/providers/"
            r"Microsoft\.Network/virtualNetworks/[-\w.]+",
            "the ARM id of a virtual network: /subscriptions/<id>/resourceGroups/<rg>/providers/"
            "Microsoft.Network/virtualNetworks/<name>",
        )
    ),
]
LogAnalyticsWorkspaceId = Annotated[
    str,
    AfterValidator(
        matching(
            r"/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]+/providers/"
            r"Microsoft\.OperationalInsights/workspaces/[-\w]+",
            "the ARM id of a Log Analytics workspace: /subscriptions/<id>/resourceGroups/<rg>/"
            "providers/Microsoft.OperationalInsights/workspaces/<name>",
        )
    ),
]
ResourceTypeToken = Annotated[
    str,
    AfterValidator(
        matching(
            r"[a-z][\w-]*:[\w./-]+:[A-Za-z]\w*",
            "a Pulumi type token such as random:index/randomId:RandomId",
        )
    ),
]
SubnetName = Annotated[
    str,
    AfterValidator(matching(r"[A-Za-z0-9][-\w.]{0,79}", "a subnet name of up to 80 characters")),
]

Environment = Literal["uat", "prod"]

# Auth types of the Databricks unified authentication that need no stored secret and that the
# estate configures completely: `azure-cli` (a local `az login`), and `github-oidc-azure` (CI),
# for which the providers set the workspace resource id and tenant and the workflows set
# ARM_CLIENT_ID and GitHub's ACTIONS_ID_TOKEN_REQUEST_* (databricks-sdk-go
# config/auth_azure_github_oidc.go needs all of them). `github-oidc` and `env-oidc` would need
# a Databricks client id, and `file-oidc` a token file (`databricks_id_token_filepath`), that
# nothing here provides.
SecretlessAuthType = Literal["azure-cli", "github-oidc-azure"]

"""`estate bundle-targets`: where an ML project's Databricks Asset Bundle deploys, per stack.

The target deploys into the locked deployment folder, runs as the deployer service principal
and names the project's catalog and schemas, so the bundle lands exactly where the estate
locked things down.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..documents import EstateDocument


class BundleError(Exception):
    """The outputs cannot give a target: the message says what is missing."""


def _deployment_folder(outputs: dict[str, Any]) -> str:
    folders = sorted(
        path
        for path, folder in outputs.get("folders", {}).items()
        if folder.get("purpose") == "deployment"
    )
    if not folders:
        raise BundleError("the estate declares no deployment folder (folders.deployment)")
    return folders[0]


def bundle_targets(document: EstateDocument, project: str | None) -> str:
    """The `variables:` and `targets:` blocks of `databricks.yml` for one project and stack."""
    outputs = document.outputs
    schemas = outputs.get("schemas", {})
    if project is None:
        if len(schemas) != 1:
            raise BundleError(
                f"choose the ML project with --project: one of "
                f"{', '.join(sorted(schemas)) or 'none declared'}"
            )
        project = next(iter(schemas))
    if project not in schemas:
        raise BundleError(
            f"--project {project!r} is not an ML project of the estate; "
            f"projects: {', '.join(sorted(schemas)) or 'none'}"
        )
    catalog, features = schemas[project]["features"].split(".")
    models = schemas[project]["models"].split(".")[1]
    variables = {
        "catalog": {"description": "Governed Unity Catalog catalog of the target environment"},
        "features_schema": {"description": "Schema of the project's feature tables"},
        "models_schema": {"description": "Schema of the project's registered models"},
    }
    target = {
        "mode": "production",
        "workspace": {
            "host": outputs["workspace"]["host"],
            "root_path": f"{_deployment_folder(outputs)}/{project}",
        },
        "run_as": {"service_principal_name": outputs["deployer"]["application_id"]},
        "variables": {"catalog": catalog, "features_schema": features, "models_schema": models},
    }
    header = (
        f"# Databricks Asset Bundle target for ML project {project!r} in the "
        f"{document.environment} environment (stack {document.stack}), from the "
        f"estate's {document.source}.\n"
    )
    body = yaml.safe_dump(
        {"variables": variables, "targets": {document.stack: target}},
        sort_keys=False,
        default_flow_style=False,
    )
    return header + body

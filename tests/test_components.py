"""The components follow Pulumi's authoring guidance: (name, args, opts), plain documented args.

The library's components (`mlops_estate.components`) are held to it. `Environment`, the
composition of one stack (`mlops_estate.estate`), takes (name, args, opts) too, but its args
are the validated stack config itself: it is where the config becomes plain component args.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re

import pulumi
import pytest
from pydantic import BaseModel

from mlops_estate import components
from mlops_estate.components import azure, identity, unity_catalog, workspace
from mlops_estate.config import schema

# The stack config's types: components take plain args instead.
CONFIG_MODELS = {
    name
    for name, cls in vars(schema).items()
    if inspect.isclass(cls) and issubclass(cls, BaseModel)
}
COMPONENTS = [
    cls
    for module in (azure, identity, unity_catalog, workspace)
    for cls in vars(module).values()
    if inspect.isclass(cls)
    and issubclass(cls, pulumi.ComponentResource)
    and cls.__module__.startswith(components.__name__)
]


def _documented_fields(cls: type) -> dict[str, bool]:
    """Each field of a dataclass, and whether a docstring follows it in the class body."""
    (body,) = [
        node for node in ast.parse(inspect.getsource(cls)).body if isinstance(node, ast.ClassDef)
    ]
    documented = {}
    for statement, following in zip(body.body, [*body.body[1:], None], strict=True):
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            documented[statement.target.id] = (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            )
    return documented


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_component_takes_name_args_opts_and_documents_every_arg(component: type) -> None:
    parameters = list(inspect.signature(component.__init__).parameters)
    assert parameters == ["self", "name", "args", "opts"]
    args = inspect.signature(component.__init__).parameters["args"].annotation
    args_class = vars(inspect.getmodule(component))[args]
    assert dataclasses.is_dataclass(args_class)
    assert {name: True for name in _documented_fields(args_class)} == _documented_fields(args_class)
    for field in dataclasses.fields(args_class):
        assert not CONFIG_MODELS & set(re.findall(r"\w+", str(field.type))), field.name


def test_every_component_is_found() -> None:
    assert {c.__name__ for c in COMPONENTS} >= {
        "AzureWorkspace",
        "CatalogStorageAccount",
        "DeployerIdentity",
        "CatalogStorage",
        "GovernedCatalog",
        "DevelopmentCatalog",
        "ModelPromotion",
        "PromotionReaders",
        "WorkspaceAccess",
        "LockedFolder",
        "WorkspaceHardening",
        "ComputePolicies",
    }

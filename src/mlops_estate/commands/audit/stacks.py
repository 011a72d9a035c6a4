"""The estate's two stacks audited together: they must describe one estate, and the promotion
path between them is understood from both halves.

uat grants the promotion readers group read on its models schemas; prod binds uat's catalog
read-only into its workspace and adds its deployer to the group (README, "How a model version
travels from UAT to Prod"). Each audit checks its own half; a stack audited alone knows the
other half from its own outputs and says so.
"""

from __future__ import annotations

from .declared import DeclaredEstate
from .findings import Note
from .schema import DeclarationError

WHAT = "promotion"


def check_stacks(stacks: list[DeclaredEstate], sources: list[str]) -> None:
    """Several declared stacks form one estate: one per environment, one metastore, one
    promotion path. DeclarationError says what disagrees."""
    environments = [s.environment for s in stacks]
    for environment in sorted(set(environments)):
        if environments.count(environment) > 1:
            files = [
                src for src, s in zip(sources, stacks, strict=True) if s.environment == environment
            ]
            raise DeclarationError(
                f"--declared: {' and '.join(files)} both declare the {environment} stack; give "
                "each environment's outputs once"
            )
    if len({s.outputs.workspace.metastore_id for s in stacks}) > 1:
        raise DeclarationError(
            "--declared: the stacks name different metastores (workspace.metastore_id): they "
            "are not one estate"
        )
    by_environment = {s.environment: s for s in stacks}
    uat, prod = by_environment.get("uat"), by_environment.get("prod")
    if uat and prod:
        if prod.promotion_source != uat.governed_catalog:
            raise DeclarationError(
                f"--declared: prod's promotion.source_catalog {prod.promotion_source!r} is not "
                f"uat's governed catalog {uat.governed_catalog!r}"
            )
        if prod.reader_group != uat.reader_group:
            raise DeclarationError(
                f"--declared: prod's promotion.reader_group {prod.reader_group!r} is not uat's "
                f"{uat.reader_group!r}"
            )


def peers_of(stack: DeclaredEstate, stacks: list[DeclaredEstate]) -> tuple[DeclaredEstate, ...]:
    return tuple(s for s in stacks if s is not stack)


def _members(stack: DeclaredEstate) -> str:
    members = [
        stack.label(name, kind)
        for kind, name in (stack.principals[role] for role in stack.outputs.promotion.members)
    ]
    return ", ".join(members) or "nobody"


def promotion_notes(stacks: list[DeclaredEstate]) -> list[Note]:
    """The promotion path as the declared stacks describe it, and which half each audit checks."""
    by_environment = {s.environment: s for s in stacks}
    uat, prod = by_environment.get("uat"), by_environment.get("prod")
    notes = []
    if uat:
        notes.append(
            Note(
                WHAT,
                f"uat grants group {uat.reader_group} read on catalog {uat.promotion_source} "
                "and its models schemas: checked in uat's grants",
            )
        )
    if prod:
        notes.append(
            Note(
                WHAT,
                f"prod binds catalog {prod.promotion_source} READ_ONLY into its workspace "
                f"{prod.workspace_id}: checked in prod's bindings"
                + (" and uat's" if uat else "; audited alone, uat takes one such binding for it"),
            )
        )
        notes.append(
            Note(
                WHAT,
                f"prod adds {_members(prod)} to group {prod.reader_group}: an account-level "
                "membership of a group assigned to no workspace, which no workspace API shows; "
                "not checked by this audit",
            )
        )
    elif uat:
        notes.append(
            Note(
                WHAT,
                f"the prod stack (not given) binds {uat.promotion_source} read-only into its "
                f"workspace and adds its deployer to {uat.reader_group}",
            )
        )
    return notes

"""Keeping a resource's identity when the component that registers it changes.

Pulumi identifies a resource by its URN, which includes its parents' types. Re-parenting a
resource changes the URN; without an alias to the old parent, Pulumi would replace it
(https://www.pulumi.com/docs/iac/concepts/options/aliases/). Children inherit their parent's
aliases, so an alias is needed only where a resource's own parent changed.
"""

from __future__ import annotations

import pulumi

# The components of an environment were registered at the stack's root before they were
# grouped into `Environment`, and the Azure resources under one `AzureEnvironment`; these
# aliases keep an upgrade from replacing them.
FORMERLY_AT_ROOT = [pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)]
FORMER_AZURE_COMPONENT = "mlops-estate:azure:AzureEnvironment"


def child_options(
    component: pulumi.Resource, former_parent_urn: pulumi.Input[str] | None = None
) -> pulumi.ResourceOptions:
    """A component's children: parented to it and, if they moved in, aliased to their old parent."""
    aliases = None if former_parent_urn is None else [pulumi.Alias(parent=former_parent_urn)]
    return pulumi.ResourceOptions(parent=component, aliases=aliases)

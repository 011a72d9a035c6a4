"""Pulumi's mock monitor, recording what a program registers, with deterministic fake outputs.

Every id and computed output derives from the resource's URN, so the same program and
config always plan to the same bytes.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from pulumi.output import Unknown
from pulumi.runtime import mocks, rpc
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from ...vocabulary.resource_types import STACK, STORAGE_PE_CONNECTION
from .aliases import alias_urns, make_urn
from .network_mocks import (
    CHILD_ARM_TYPES,
    GET_STORAGE_ACCOUNT,
    NETWORK_ARM_TYPES,
    child_arm_id,
    connection_outputs,
    databricks_outputs,
    storage_account_answer,
)
from .provider_checks import provider_check_failures
from .record import Lookup, PlannedResource

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
_NAMESPACE = uuid.UUID("6f1f3c1e-5d2a-4a4e-9b7c-2f4f8f0e9a11")


def _aliases(request: Any) -> list[dict[str, Any]]:
    """The aliases a registration carries: full URNs, or specs the engine resolves."""
    aliases: list[dict[str, Any]] = []
    for alias in request.aliases:
        if alias.HasField("urn"):
            aliases.append({"urn": alias.urn})
            continue
        spec = alias.spec
        aliases.append(
            {
                key: value
                for key, value in (
                    ("name", spec.name),
                    ("type", spec.type),
                    ("stack", spec.stack),
                    ("project", spec.project),
                    ("parent", spec.parentUrn),
                    ("no_parent", spec.noParent),
                )
                if value
            }
        )
    return aliases


def _property_dependencies(request: Any) -> dict[str, list[str]]:
    """For each input, the resources its value comes from."""
    return {
        key: sorted(dependencies.urns)
        for key, dependencies in sorted(request.propertyDependencies.items())
        if dependencies.urns
    }


def _dependencies(request: Any) -> list[str]:
    """Explicit `depends_on` and every resource a property's value comes from."""
    urns = set(request.dependencies)
    for dependencies in request.propertyDependencies.values():
        urns.update(dependencies.urns)
    return sorted(urns)


def _marked_unknowns(value: Any) -> Any:
    """Deserialized inputs with every unknown as the engine's unknown marker (rpc.UNKNOWN)."""
    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if isinstance(value, dict):
        return {key: _marked_unknowns(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_marked_unknowns(item) for item in value]
    return value


def _digest(urn: str) -> int:
    return int.from_bytes(hashlib.sha256(urn.encode()).digest()[:8], "big")


def fake_uuid(urn: str, purpose: str = "") -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{purpose}|{urn}"))


def fake_workspace_number(urn: str) -> str:
    """A 16-digit number, shaped like an Azure Databricks workspace id."""
    return str(1_000_000_000_000_000 + _digest(urn) % 9_000_000_000_000_000)


# ARM types: (input that names the resource, ARM resource type under a resource group).
_ARM_TYPES: dict[str, tuple[str, str]] = {
    "azure-native:storage:StorageAccount": ("accountName", "Microsoft.Storage/storageAccounts"),
    "azure-native:databricks:AccessConnector": (
        "connectorName",
        "Microsoft.Databricks/accessConnectors",
    ),
    "azure-native:databricks:Workspace": ("workspaceName", "Microsoft.Databricks/workspaces"),
    "azure-native:managedidentity:UserAssignedIdentity": (
        "resourceName",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
    ),
    "azure-native:keyvault:Vault": ("vaultName", "Microsoft.KeyVault/vaults"),
    "azure-native:operationalinsights:Workspace": (
        "workspaceName",
        "Microsoft.OperationalInsights/workspaces",
    ),
    **NETWORK_ARM_TYPES,
}


class EstateMocks(mocks.Mocks):
    """Plausible computed outputs for the resource types the estate uses."""

    def __init__(
        self,
        provider_inputs: Callable[[str], dict[str, Any]],
        registered: Callable[[], Iterable[PlannedResource]] = tuple,
    ) -> None:
        self._provider_inputs = provider_inputs
        self._registered = registered
        self.lookups: list[Lookup] = []

    def _subscription(self, provider_ref: str) -> str:
        inputs = self._provider_inputs(provider_ref.rsplit("::", 1)[0]) if provider_ref else {}
        return inputs.get("subscriptionId") or PLACEHOLDER_SUBSCRIPTION

    def computed(
        self, typ: str, urn: str, inputs: dict[str, Any], provider: str
    ) -> tuple[str, dict[str, Any]]:
        """The fake id and the outputs the provider would compute, derived from `urn`."""
        name = urn.rsplit("::", 1)[1]
        if typ.startswith("pulumi:providers:"):
            return fake_uuid(urn, "provider"), {}
        if typ == "azure-native:resources:ResourceGroup":
            group = inputs.get("resourceGroupName", name)
            return (
                f"/subscriptions/{self._subscription(provider)}/resourceGroups/{group}",
                {"name": group},
            )
        if typ in _ARM_TYPES:
            name_key, arm_type = _ARM_TYPES[typ]
            resource_name = inputs.get(name_key, name)
            arm_id = (
                f"/subscriptions/{self._subscription(provider)}/resourceGroups/"
                f"{inputs.get('resourceGroupName', 'unknown')}/providers/{arm_type}/"
                f"{resource_name}"
            )
            return arm_id, {"name": resource_name, **self._arm_outputs(typ, urn, inputs)}
        if typ == "azure-native:keyvault:Key":
            vault, key = inputs.get("vaultName", "unknown"), inputs.get("keyName", name)
            version = f"{_digest(urn):016x}{_digest(urn + '|version'):016x}"
            uri = f"https://{vault}.vault.azure.net/keys/{key}"
            return (
                f"/subscriptions/{self._subscription(provider)}/resourceGroups/"
                f"{inputs.get('resourceGroupName', 'unknown')}/providers/Microsoft.KeyVault/"
                f"vaults/{vault}/keys/{key}",
                {"name": key, "keyUri": uri, "keyUriWithVersion": f"{uri}/{version}"},
            )
        if typ == "azure-native:storage:BlobContainer":
            container = inputs.get("containerName", name)
            return f"{inputs.get('accountName', 'unknown')}/{container}", {"name": container}
        if typ == "azure-native:authorization:RoleAssignment":
            assignment = fake_uuid(urn, "role-assignment")
            return (
                f"{inputs.get('scope', '')}/providers/Microsoft.Authorization/"
                f"roleAssignments/{assignment}",
                {"name": assignment},
            )
        if typ in CHILD_ARM_TYPES:
            arm_id = child_arm_id(typ, self._subscription(provider), inputs, name)
            computed = {"name": arm_id.rsplit("/", 1)[1]}
            if typ == STORAGE_PE_CONNECTION:
                computed.update(connection_outputs(inputs, arm_id, self._registered()))
            return arm_id, computed
        if typ.startswith("databricks:"):
            return str(_digest(urn) % 10**16), databricks_outputs(typ, urn)
        return f"{name}-{_digest(urn) % 16**8:08x}", {}

    def _arm_outputs(self, typ: str, urn: str, inputs: dict[str, Any]) -> dict[str, Any]:
        if typ == "azure-native:databricks:AccessConnector":
            identity = dict(inputs.get("identity") or {})
            identity.update(
                principalId=fake_uuid(urn, "principal"), tenantId=fake_uuid(urn, "tenant")
            )
            return {"identity": identity}
        if typ == "azure-native:databricks:Workspace":
            number = fake_workspace_number(urn)
            outputs: dict[str, Any] = {
                "workspaceId": number,
                "workspaceUrl": f"adb-{number}.{_digest(urn) % 20}.azuredatabricks.net",
            }
            # The identities Azure creates for encryption: the managed storage account's once
            # the workspace is prepared for encryption, the disk encryption set's with a
            # managed disk key (pulumi_azure_native.databricks.Workspace outputs).
            identities = {
                "storageAccountIdentity": (inputs.get("parameters") or {}).get("prepareEncryption"),
                "managedDiskIdentity": ((inputs.get("encryption") or {}).get("entities") or {}).get(
                    "managedDisk"
                ),
            }
            for key, wanted in identities.items():
                if wanted:
                    outputs[key] = {
                        "principalId": fake_uuid(urn, key),
                        "tenantId": fake_uuid(urn, "tenant"),
                        "type": "SystemAssigned",
                    }
            return outputs
        if typ == "azure-native:keyvault:Vault":
            vault = inputs.get("vaultName", "")
            return {
                "properties": {
                    **(inputs.get("properties") or {}),
                    "vaultUri": f"https://{vault}.vault.azure.net/",
                }
            }
        if typ == "azure-native:operationalinsights:Workspace":
            return {"customerId": fake_uuid(urn, "customer")}
        if typ == "azure-native:managedidentity:UserAssignedIdentity":
            return {
                "principalId": fake_uuid(urn, "principal"),
                "clientId": fake_uuid(urn, "client"),
                "tenantId": fake_uuid(urn, "tenant"),
            }
        if typ == "azure-native:storage:StorageAccount":
            account = inputs.get("accountName", "")
            return {
                "primaryEndpoints": {
                    "dfs": f"https://{account}.dfs.core.windows.net/",
                    "blob": f"https://{account}.blob.core.windows.net/",
                }
            }
        return {}

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        """Reads (`Resource.get`); registrations go through `PlanMonitor`, keyed by URN."""
        resource_id, outputs = self.computed(args.typ, args.name, args.inputs, args.provider or "")
        return resource_id, {**args.inputs, **outputs}

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """Lookups (such as `get_group`) find what they ask for, with an id derived from it."""
        key = f"{args.token}|{sorted(args.args.items())}"
        result = {**args.args, "id": str(_digest(key) % 10**16)}
        if args.token == GET_STORAGE_ACCOUNT:
            result = storage_account_answer(
                args.args, self._subscription(args.provider), self._registered()
            )
        self.lookups.append(Lookup(args.token, dict(args.args), result))
        return result, []


class PlanMonitor(mocks.MockMonitor):
    """The mock monitor, with URNs as the engine makes them and a record of every registration."""

    def __init__(self, project: str, stack: str) -> None:
        self.project, self.stack = project, stack
        self.estate_mocks = EstateMocks(self._inputs_of, self._registered)
        super().__init__(self.estate_mocks)
        self.planned: dict[str, PlannedResource] = {}
        # Pulumi calls the monitor from its executor's threads: a lookup that reads what is
        # registered runs while another resource registers.
        self._planned_lock = threading.Lock()
        self._moved_from: dict[str, str] = {}  # URN -> the URN it had before an aliased move

    def _registered(self) -> list[PlannedResource]:
        """What is registered so far, as one snapshot."""
        with self._planned_lock:
            return list(self.planned.values())

    def _inputs_of(self, urn: str) -> dict[str, Any]:
        planned = self.planned.get(urn)
        return planned.inputs if planned else {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        return make_urn(self.stack, self.project, parent, type_, name)

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK:
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()
        # An input the program leaves unknown (an `apply` returning an unknown) would be dropped;
        # the plan keeps it as the engine's unknown marker, so that no rule takes it for absent
        # and the plan, where every value should be known, fails on it.
        inputs = _marked_unknowns(rpc.deserialize_properties(request.object, keep_unknowns=True))
        refused = provider_check_failures(request.type, inputs)
        if refused:
            raise ValueError(f"{urn} has a problem: {'; '.join(refused)}")
        provider = request.provider.rsplit("::", 1)[0] if request.provider else ""
        aliases = _aliases(request)
        # Ids derive from the URN a resource had before any aliased move: a move with an alias
        # keeps the real resource and so keeps its fake ids; a move without one gets new ids,
        # like the replacement Pulumi would make. With no old state here, a resource takes over
        # its first alias, as the engine does on a stack deployed before the move. Aliases that
        # change only the type are the provider's own renames of API versions, not moves.
        moved_from = alias_urns(
            urn,
            request.type,
            request.name,
            request.parent,
            [a for a in aliases if "type" not in a],
            self._moved_from,
        )
        if moved_from:
            self._moved_from[urn] = moved_from[0]
        identity = self._moved_from.get(urn, urn)
        resource_id, outputs = self.estate_mocks.computed(
            request.type, identity, inputs, request.provider
        )
        # The engine shows a policy a resource's state with its id among the outputs.
        outputs = {"id": resource_id, **outputs} if request.custom else outputs
        state = {**inputs, **outputs}
        planned = PlannedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent,
            provider=provider,
            protect=bool(request.HasField("protect") and request.protect),
            retain_on_delete=bool(request.HasField("retainOnDelete") and request.retainOnDelete),
            custom=request.custom,
            inputs=inputs,
            outputs=outputs,
            aliases=aliases,
            dependencies=_dependencies(request),
            property_dependencies=_property_dependencies(request),
            import_id=request.importId,
        )
        with self._planned_lock:
            self.planned[urn] = planned
        self.resources[urn] = mocks.MockMonitor.ResourceRegistration(urn, resource_id, state)
        response = _sync_await(rpc.serialize_properties(state, {}))
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=response)

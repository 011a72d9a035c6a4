"""`estate audit`: read the live workspaces through databricks-sdk and compare them with the
declared estate (one stack or both) and the isolation rules. It fails closed: what cannot be
read is reported and the audit never passes without it; credentials go only to the workspaces
the caller names and the declared outputs declare.
"""

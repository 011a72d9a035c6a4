"""`estate audit`: read the live workspace through databricks-sdk and compare it with the
declared estate and the isolation rules. It fails closed: what cannot be read is reported and
the audit never passes without it.
"""

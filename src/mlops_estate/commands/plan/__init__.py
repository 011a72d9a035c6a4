"""`estate plan`: the stack program, offline and in process, under Pulumi's mock monitor."""

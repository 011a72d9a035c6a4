"""`estate plan`: the stack program, offline, in a child process under Pulumi's mock monitor;
the rules judge what it registered in this process."""

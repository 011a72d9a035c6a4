"""The estate's building blocks: Pulumi components that are isolated by construction.

Each component takes plain, documented args and the providers through `opts`; none reads the
stack config.
"""

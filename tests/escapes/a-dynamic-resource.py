# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: unreviewed-resource-type on dynamic
from pulumi.dynamic import CreateResult, Resource, ResourceProvider
class Anything(ResourceProvider):
    def create(self, props):
        return CreateResult("x", {})
class Thing(Resource):
    def __init__(self, name):
        super().__init__(Anything(), name, {})
Thing("dynamic")

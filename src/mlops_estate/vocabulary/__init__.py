"""The terms every part of the estate shares: API values, resource types, paths and roles.

Each term has one home here, so the components, the rules, the reports and the audit cannot
drift apart on what a value means.
"""

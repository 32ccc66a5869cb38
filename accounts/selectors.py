"""Reads for accounts. The parent's view of the registry lives in ``hukou.selectors.parents``;
these names stay importable from here for the account pages."""

from hukou.selectors.parents import children_of_parent, parent_identity_confirmed

__all__ = ["children_of_parent", "parent_identity_confirmed"]

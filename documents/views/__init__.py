"""Pages of the materials pre-review: the public guide, the parent's phone flow, the window."""

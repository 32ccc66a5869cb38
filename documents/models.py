# Checklists, uploads, pre-review and notices arrive with the materials pre-review issue.

"""Clerk, approver and station-admin screens, one module per topic."""

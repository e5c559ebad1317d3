"""Deployment scripts: the Prefect stack on PostgreSQL (python -m deploy)."""

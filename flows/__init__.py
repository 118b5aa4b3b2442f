"""Prefect orchestration only: flows that call the pipeline stages."""

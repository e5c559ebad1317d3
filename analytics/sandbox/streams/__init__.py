"""The sandbox world's seeded demo streams: S4A-style CSVs, streaming history, play events.

Only the sandbox world uses them (a real run ingests the user's own exports or nothing).
"""

from analytics.sandbox.streams.demo import DemoData, generate_demo_data, ingest_demo_data

__all__ = ["DemoData", "generate_demo_data", "ingest_demo_data"]

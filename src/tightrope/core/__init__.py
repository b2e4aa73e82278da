"""The pure core: case and assessment models, rule packs, the engine, the interview.

It imports only the standard library, pydantic and PyYAML, never an adapter
(storage, web, rendering, CLI); ``tests/test_architecture.py`` keeps it so.
"""

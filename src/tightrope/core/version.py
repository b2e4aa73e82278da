"""The engine's version, pinned in every assessment beside the pack hashes."""

ENGINE_VERSION = "0.1.0"

from tests.backends import (  # noqa: F401 - fixtures
    backend,
    clinician,
    postgres_schema,
    registry,
    sqlite_template,
    store,
)

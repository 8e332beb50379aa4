"""The Dagster code location: composes the definitions in ``pipelines.defs`` (loaded lazily)."""

import dagster as dg

from pipelines.defs import build_definitions


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded by ``dg dev`` / ``dagster`` when the code location starts, not at import."""
    return build_definitions()

from .catalog import CatalogFormatError
from .controls import RequestRecord, Stats
from .options import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    DEMO_USER_ID,
    FaultRule,
    SandboxOptions,
    SyntheticCatalogSpec,
)
from .server import SpotifySandbox
from .state import CatalogState
from .synthetic import generate_catalog

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_REFRESH_TOKEN",
    "DEMO_USER_ID",
    "CatalogFormatError",
    "CatalogState",
    "FaultRule",
    "RequestRecord",
    "SandboxOptions",
    "SpotifySandbox",
    "Stats",
    "SyntheticCatalogSpec",
    "generate_catalog",
]

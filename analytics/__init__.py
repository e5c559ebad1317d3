"""encore's library: every capability, without Prefect or papermill inside.

Importing it switches the telemetry of the libraries encore drives off (Prefect, Great
Expectations, and anything honouring ``DO_NOT_TRACK``) before they read their settings, so a
notebook, a script or a worker is as quiet as the ``encore`` command. A value already in the
environment wins.
"""

import os as _os

for _name, _value in (
    ("DO_NOT_TRACK", "1"),
    ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
    ("GX_ANALYTICS_ENABLED", "false"),
):
    _os.environ.setdefault(_name, _value)

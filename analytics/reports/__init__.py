"""Report building blocks: run datasets, plotly figure builders, notebook display helpers,
and the assembly of executed notebooks into self-contained, safe HTML pages.

The exports are listed in ``__init__.pyi`` and loaded on first use (lazy_loader): the report
notebooks import this package inside their kernel, which never loads the page assembly
(``html.py``: nbformat, nbconvert, Jinja).
"""

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)

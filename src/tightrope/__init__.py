"""Tightrope: decide, defend and document a second relationship with a client.

>>> import tightrope
>>> case = tightrope.load_case("former-client-romance.yaml")   # doctest: +SKIP
>>> tightrope.assess(case).verdict                             # doctest: +SKIP
"""

from .api import assess, builtin_library
from .core.assessment import Assessment, Factor, Finding
from .core.case import Case
from .core.case_loading import load_case
from .core.errors import CaseError, PackError, TightropeError
from .core.library import PackLibrary
from .core.version import ENGINE_VERSION as __version__
from .core.vocabulary import Action, PrimaryFactor, Verdict

__all__ = [
    "Action",
    "Assessment",
    "Case",
    "CaseError",
    "Factor",
    "Finding",
    "PackError",
    "PackLibrary",
    "PrimaryFactor",
    "TightropeError",
    "Verdict",
    "__version__",
    "assess",
    "builtin_library",
    "load_case",
]

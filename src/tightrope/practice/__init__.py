"""Practice mode: original vignettes for licensing-exam candidates, graded by the engine.

Modules (see docs/practice.md): ``bank`` (the vignettes, loaded strictly),
``verification`` (each vignette as a regression test), ``neighbours`` (rules the
same facts trigger in other codes), ``questions`` (questions, grading and feedback
from the engine's output; pure), ``scheduler`` (FSRS), ``progress`` (SQLAlchemy
store), ``stats``, ``exam`` (timed simulation) and ``service`` (what the CLI and
the web app call). Nothing is imported here, so that importing one light module
never loads the database or scheduler libraries.
"""

"""Renderers: present an :class:`~tightrope.core.explanation.Explanation`, nothing more."""

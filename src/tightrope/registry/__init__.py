"""The case registry service: cases, assessments, safeguards, accounts, exports.

Functions here take a :class:`~tightrope.storage.store.Store` (through a
:class:`~tightrope.registry.service.Registry`) and an
:class:`~tightrope.registry.actors.Actor`. Authorization lives here, once, so the
CLI and the web app share it; every change and its audit event are written in
one transaction.
"""

"""FHIR R4 export and import: the note and its assessment, as an EHR receives them.

- :mod:`.canonical`: the canonical base URL and the code systems we use.
- :mod:`.questionnaire`: the interview as a ``Questionnaire``, generated from
  :mod:`tightrope.core.questions`.
- :mod:`.response`: a case as a ``QuestionnaireResponse``;
  :mod:`.response_import` maps one back to a format-1 case.
- :mod:`.bundle`: the whole export (Questionnaire, QuestionnaireResponse,
  RiskAssessment, DocumentReference, Provenance, Practitioner) as a Bundle.

Everything here builds plain JSON-ready dicts; tests validate them with the
``fhir.resources`` R4B models (see ``docs/notes.md``).
"""

"""Export and import of case records (format in :mod:`exchange_format`).

An export is audited per case. An import is all-or-nothing: the whole file is
checked first (shape, case facts, assessment results, references inside the
file, ids already present, who may own what), every problem is reported with
the record and field it concerns, and only a clean file is written, in one
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import select

from ..core.assessment import Assessment
from ..core.case_loading import case_from_data
from ..core.errors import CaseError, Problem
from ..core.validation import problems_from_validation
from ..core.version import ENGINE_VERSION
from ..storage.audit import append_event, read_head
from ..storage.ids import new_id
from ..storage.tables import (
    AssessmentRecord,
    CaseRecord,
    CaseRevision,
    Consent,
    Consultation,
    Record,
    SignOff,
    User,
)
from .access import Permission, current_user, open_case, require_owner_role, visible_cases
from .errors import ImportFileError
from .exchange_format import (
    DEIDENTIFIED_KIND,
    EXPORT_KIND,
    ExportAssessment,
    ExportCase,
    ExportConsent,
    ExportConsultation,
    ExportFile,
    ExportRevision,
    ExportSignOff,
    ExportUser,
)
from .inputs import input_problems
from .reading import load_detail
from .views import CaseDetail
from .vocabulary import CaseStatus, Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .actors import Actor
    from .service import Registry


def _issue(path: str, message: str, hint: str = "", code: str = "bad-import") -> Problem:
    return Problem(code, message, path, None, hint)


def _fail(problems: list[Problem], source: str) -> ImportFileError:
    return ImportFileError(code="bad-import", problems=problems, source=source)


def to_export_case(detail: CaseDetail) -> ExportCase:
    s = detail.summary
    return ExportCase(
        id=s.id, owner=s.owner, client_ref=s.client_ref, status=s.status,
        created_at=s.created_at, updated_at=s.updated_at, closed_at=s.closed_at,
        revisions=tuple(ExportRevision(id=r.id, number=r.number, created_at=r.created_at,
                                       author=r.author, note=r.note, case=r.case.dump())
                        for r in detail.revisions),
        assessments=tuple(ExportAssessment(
            id=a.id, number=a.number, revision=a.revision, created_at=a.created_at,
            actor=a.actor, as_of=a.as_of, verdict=a.verdict, until=a.until,
            engine_version=a.engine_version, packs=a.packs, review_due_on=a.review_due_on,
            review_reason=a.review_reason, result=json.loads(a.result.model_dump_json()))
            for a in detail.assessments),
        consultations=tuple(ExportConsultation(**c.model_dump()) for c in detail.consultations),
        consents=tuple(ExportConsent(**c.model_dump()) for c in detail.consents),
        sign_offs=tuple(ExportSignOff(**s.model_dump()) for s in detail.sign_offs))


class Exchange:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.store = registry.store
        self.cipher = registry.store.cipher

    def details(self, actor: Actor, case_ids: Iterable[str] | None, *, scope: str,
                action: str, audit_details: dict[str, Any]) -> list[CaseDetail]:
        """The chosen cases (or all the actor may see), each export audited."""
        now = self.registry.now()
        with self.store.write() as session:
            user = current_user(session, actor)
            if case_ids is None:
                ids = list(session.scalars(select(CaseRecord.id).where(
                    visible_cases(user, scope)).order_by(CaseRecord.created_at, CaseRecord.id)))
            else:
                ids = list(dict.fromkeys(case_ids))
            details = []
            for case_id in ids:
                row = open_case(session, actor, case_id, Permission.view, lock=True)
                details.append(load_detail(session, self.cipher, row))
                append_event(session, at=now, actor_id=user.id, action=action,
                             case_id=case_id, details=audit_details)
            return details

    def export(self, actor: Actor, case_ids: Iterable[str] | None = None, *,
               scope: str = "own") -> ExportFile:
        details = self.details(actor, case_ids, scope=scope, action="case.export",
                               audit_details={"deidentified": False})
        cases = [to_export_case(d) for d in details]
        with self.store.read() as session:
            head = read_head(session)
            names = {c.owner for c in cases} | {
                name for c in cases for name in (
                    *(r.author for r in c.revisions), *(a.actor for a in c.assessments),
                    *(x.recorded_by for x in c.consultations),
                    *(x.recorded_by for x in c.consents),
                    *(x.supervisor for x in c.sign_offs))}
            users = session.scalars(select(User).where(User.username.in_(names))
                                    .order_by(User.username)).all()
            people = tuple(ExportUser(username=u.username, display_name=u.display_name,
                                      role=Role(u.role)) for u in users)
        return ExportFile(format=1, kind=EXPORT_KIND, exported_at=self.registry.now(),
                          exported_by=actor.username, engine_version=ENGINE_VERSION,
                          audit_head=head.render(), users=people, cases=tuple(cases))

    # -- import ---------------------------------------------------------------------------

    def parse(self, raw: bytes | str, *, source: str = "<import>") -> ExportFile:
        """Read and check an export file completely, or raise naming every problem."""
        hint = "an export file is the JSON that `tightrope cases export` writes"
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _fail([_issue("", f"this is not JSON (line {exc.lineno}, column "
                                  f"{exc.colno}: {exc.msg})", hint)], source) from None
        except ValueError:
            raise _fail([_issue("", "this is not UTF-8 text", hint)], source) from None
        if isinstance(data, dict) and data.get("kind") == DEIDENTIFIED_KIND:
            raise _fail([_issue("kind", "a de-identified export cannot be imported",
                                  "it has no identities to restore; import a full export")],
                        source)
        if isinstance(data, dict) and data.get("format") not in (None, 1):
            raise _fail([_issue("format", f"format {data.get('format')!r} is not supported",
                                  "this version of Tightrope reads format 1")], source)
        try:
            document = ExportFile.model_validate(data)
        except ValidationError as exc:
            raise _fail([_issue(p.path, p.message, p.hint, p.code)
                         for p in input_problems(exc, ExportFile)], source) from None
        problems = _content_problems(document)
        if problems:
            raise _fail(problems, source)
        return document

    def import_file(self, actor: Actor, raw: bytes | str, *, source: str = "<import>",
                    claim: bool = False) -> list[str]:
        """Import every case of an export file, or none; return the case ids imported."""
        document = self.parse(raw, source=source)
        now = self.registry.now()
        known = {u.username: u for u in document.users}
        with self.store.write() as session:
            user = current_user(session, actor)
            is_admin = user.role == Role.admin.value
            if claim or not is_admin:
                require_owner_role(user)
            problems = _ownership_problems(document, user, claim=claim, admin=is_admin)
            problems += _conflicts(session, document)
            owners = {c.owner for c in document.cases}
            local = {u.username: u for u in session.scalars(select(User))}
            for index, case in enumerate(document.cases):
                if is_admin and not claim and case.owner not in local:
                    problems.append(_issue(f"cases[{index}].owner", f"there is no account "
                                             f"{case.owner!r} here to own this case",
                                             "create it first with `tightrope users add`"))
            if problems:
                raise _fail(problems, source)
            ids: dict[str, str] = {name: u.id for name, u in local.items()}
            if claim:
                ids.update({name: user.id for name in owners})
            for name in sorted(_people(document) - ids.keys()):
                placeholder = _placeholder(name, known.get(name), now)
                session.add(placeholder)
                append_event(session, at=now, actor_id=user.id, action="user.create",
                             records=[placeholder], details={"role": placeholder.role,
                                                             "imported": True})
                ids[name] = placeholder.id
            for case in document.cases:
                records = self._write_case(session, case, ids)
                append_event(session, at=now, actor_id=user.id, action="case.import",
                             case_id=case.id, records=records,
                             details={"revisions": len(case.revisions),
                                      "assessments": len(case.assessments),
                                      "claimed": claim})
        return [case.id for case in document.cases]

    def _write_case(self, session: Session, case: ExportCase, ids: dict[str, str]
                    ) -> list[Record]:
        seal = self.cipher.seal
        latest = case.assessments[-1]
        closed = case.status is CaseStatus.closed
        row = CaseRecord(
            id=case.id, owner_id=ids[case.owner],
            client_ref=seal("cases", "client_ref", case.id, case.client_ref),
            status=case.status.value, created_at=case.created_at, updated_at=case.updated_at,
            closed_at=case.closed_at, revisions=len(case.revisions),
            assessments=len(case.assessments), latest_assessment_id=latest.id,
            latest_verdict=latest.verdict.value, latest_until=latest.until,
            review_due_on=None if closed else latest.review_due_on,
            review_reason=None if closed or latest.review_reason is None
            else latest.review_reason.value)
        session.add(row)
        session.flush()
        records: list[Record] = [row]
        revision_ids = {}
        for r in case.revisions:
            revision = CaseRevision(
                id=r.id, case_id=case.id, number=r.number, created_at=r.created_at,
                author_id=ids[r.author],
                facts=seal("case_revisions", "facts", r.id, json.dumps(r.case,
                                                                      ensure_ascii=False)),
                note=seal("case_revisions", "note", r.id, r.note) if r.note else None)
            revision_ids[r.number] = r.id
            records.append(revision)
        session.add_all(records[1:])
        session.flush()
        assessment_ids = {}
        for a in case.assessments:
            assessment = AssessmentRecord(
                id=a.id, case_id=case.id, number=a.number, revision_id=revision_ids[a.revision],
                created_at=a.created_at, actor_id=ids[a.actor], as_of=a.as_of,
                verdict=a.verdict.value, until=a.until, engine_version=a.engine_version,
                packs=[p.model_dump() for p in a.packs],
                result=seal("assessments", "result", a.id,
                            Assessment.model_validate(a.result).model_dump_json()),
                review_due_on=a.review_due_on,
                review_reason=a.review_reason.value if a.review_reason else None)
            assessment_ids[a.number] = a.id
            records.append(assessment)
            session.add(assessment)
        session.flush()
        extra: list[Record] = []
        for c in case.consultations:
            extra.append(Consultation(
                id=c.id, case_id=case.id, recorded_by=ids[c.recorded_by],
                created_at=c.created_at, consulted_on=c.consulted_on,
                consultant_role=c.consultant_role.value,
                consultant=seal("consultations", "consultant", c.id, c.consultant),
                advice=seal("consultations", "advice", c.id, c.advice),
                decision=c.decision.value if c.decision else None,
                rationale=seal("consultations", "rationale", c.id, c.rationale)
                if c.rationale else None))
        for n in case.consents:
            extra.append(Consent(id=n.id, case_id=case.id, recorded_by=ids[n.recorded_by],
                                 created_at=n.created_at, given_on=n.given_on,
                                 method=n.method.value,
                                 note=seal("consents", "note", n.id, n.note) if n.note
                                 else None))
        for s in case.sign_offs:
            extra.append(SignOff(id=s.id, case_id=case.id,
                                 assessment_id=assessment_ids[s.assessment],
                                 supervisor_id=ids[s.supervisor], created_at=s.created_at,
                                 outcome=s.outcome.value,
                                 comment=seal("sign_offs", "comment", s.id, s.comment)
                                 if s.comment else None))
        session.add_all(extra)
        session.flush()
        return records + extra


def _people(document: ExportFile) -> set[str]:
    names: set[str] = set()
    for c in document.cases:
        names.add(c.owner)
        names.update(r.author for r in c.revisions)
        names.update(a.actor for a in c.assessments)
        names.update(x.recorded_by for x in c.consultations)
        names.update(x.recorded_by for x in c.consents)
        names.update(x.supervisor for x in c.sign_offs)
    return names


def _placeholder(username: str, known: ExportUser | None, now: Any) -> User:
    """A disabled account that keeps the name of someone who wrote an imported record."""
    return User(id=new_id(), username=username,
                display_name=(known.display_name if known else username) + " (imported)",
                role=known.role.value if known else Role.clinician.value,
                supervisor_id=None, password_hash=None, disabled=True, created_at=now)


def _content_problems(document: ExportFile) -> list[Problem]:
    """What the shape cannot check: case facts, results, numbering and references."""
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    for i, case in enumerate(document.cases):
        where = f"cases[{i}]"
        for path, record_id in _record_ids(case, where):
            if record_id in seen_ids:
                problems.append(_issue(f"{path}.id", f"the id {record_id!r} is used twice "
                                         f"(also at {seen_ids[record_id]})"))
            seen_ids.setdefault(record_id, path)
        numbers = [r.number for r in case.revisions]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(_issue(f"{where}.revisions", f"revisions are numbered {numbers}; "
                                     "they must run 1, 2, 3 ... in order"))
        for j, revision in enumerate(case.revisions):
            try:
                case_from_data(revision.case, source="")
            except CaseError as exc:
                problems.extend(_issue(f"{where}.revisions[{j}].case.{p.path}".rstrip("."),
                                         p.message, p.hint, p.code) for p in exc.problems)
        numbers = [a.number for a in case.assessments]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(_issue(f"{where}.assessments", f"assessments are numbered "
                                     f"{numbers}; they must run 1, 2, 3 ... in order"))
        for j, assessment in enumerate(case.assessments):
            path = f"{where}.assessments[{j}]"
            if assessment.revision > len(case.revisions):
                problems.append(_issue(f"{path}.revision", f"there is no revision "
                                         f"{assessment.revision} in this case"))
            try:
                result = Assessment.model_validate(assessment.result)
            except ValidationError as exc:
                problems.extend(_issue(f"{path}.result.{p.path}", p.message, p.hint, p.code)
                                for p in problems_from_validation(exc, None, Assessment))
                continue
            if result.verdict is not assessment.verdict or result.as_of != assessment.as_of:
                problems.append(_issue(f"{path}.verdict", "the verdict or date does not "
                                         "match the stored result"))
        for j, sign_off in enumerate(case.sign_offs):
            if sign_off.assessment > len(case.assessments):
                problems.append(_issue(f"{where}.sign_offs[{j}].assessment", f"there is no "
                                         f"assessment {sign_off.assessment} in this case"))
    return problems


def _record_ids(case: ExportCase, where: str) -> list[tuple[str, str]]:
    found = [(where, case.id)]
    for name in ("revisions", "assessments", "consultations", "consents", "sign_offs"):
        found += [(f"{where}.{name}[{j}]", r.id) for j, r in enumerate(getattr(case, name))]
    return found


def _ownership_problems(document: ExportFile, user: User, *, claim: bool,
                        admin: bool) -> list[Problem]:
    if claim or admin:
        return []
    return [_issue(f"cases[{i}].owner", f"this case belongs to {case.owner!r}, not to you "
                     f"({user.username!r})", "import it as that user, as an admin, or pass "
                     "--claim to keep it as yours")
            for i, case in enumerate(document.cases) if case.owner != user.username]


def _conflicts(session: Session, document: ExportFile) -> list[Problem]:
    """Ids in the file that this registry already holds (the import would duplicate them)."""
    problems: list[Problem] = []
    tables: dict[str, type[Record]] = {"revisions": CaseRevision, "assessments": AssessmentRecord,
                                       "consultations": Consultation, "consents": Consent,
                                       "sign_offs": SignOff}
    for i, case in enumerate(document.cases):
        wanted: list[tuple[str, str, type[Record]]] = [(f"cases[{i}]", case.id, CaseRecord)]
        for name, model in tables.items():
            wanted += [(f"cases[{i}].{name}[{j}]", r.id, model)
                       for j, r in enumerate(getattr(case, name))]
        for path, record_id, model in wanted:
            if session.get(model, record_id) is not None:
                problems.append(_issue(f"{path}.id", f"a record with id {record_id!r} is "
                                         "already in this registry",
                                         "it was imported before; nothing was imported"))
    return problems

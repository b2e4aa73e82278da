"""Account administration (admins only): list, add, disable and enable accounts.

The registry decides that only an admin may do this; an admin sees no case
content here or anywhere else, unless supervisees are assigned to them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..core.errors import TightropeError
from ..registry.vocabulary import Role
from .auth import require_actor
from .context import context
from .rendering import check_csrf, errors_for, render

router = APIRouter(include_in_schema=False)

USER_ERRORS = ("invalid-username", "weak-password", "user-exists", "invalid-supervisor",
               "user-not-found", "invalid-input", "not-allowed")


def users_page(request: Request, *, status: int = 200, errors: list[dict[str, str | None]]
               | None = None, values: dict[str, str] | None = None,
               done: str | None = None) -> HTMLResponse:
    actor = require_actor(request)
    users = context(request).need_registry().accounts.list_users(actor)
    supervisors = [u.username for u in users if u.role in (Role.supervisor, Role.admin)
                   and not u.disabled]
    return render(request, "users.html", status=status, section="users", users=users,
                  roles=list(Role), supervisors=supervisors, errors=errors or [],
                  values=values or {}, done=done)


@router.get("/admin/users", response_class=HTMLResponse)
async def list_users(request: Request) -> Response:
    return users_page(request)


@router.post("/admin/users", response_class=HTMLResponse)
async def add_user(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    actor = require_actor(request)
    values = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "password"}
    try:
        role = Role(values.get("role", "clinician"))
        context(request).need_registry().accounts.create_user(
            actor, values.get("username", "").strip(), role=role,
            display_name=values.get("display_name", "").strip() or None,
            supervisor=values.get("supervisor", "").strip() or None,
            password=str(form.get("password") or "") or None)
    except ValueError:
        return users_page(request, status=422, values=values, errors=[
            {"message": "Choose a role: clinician, supervisor or admin.", "href": "#new-role"}])
    except TightropeError as error:
        if error.code not in USER_ERRORS:
            raise
        ids = {"username": "#new-username", "password": "#new-password",
               "supervisor": "#new-supervisor"}
        found = errors_for(list(error.problems), {k: v[1:] for k, v in ids.items()})
        return users_page(request, status=422, values=values, errors=found)
    return RedirectResponse("/admin/users?added=1", status_code=303)


@router.post("/admin/users/{username}/{change}", response_class=HTMLResponse)
async def change_user(request: Request, username: str, change: str) -> Response:
    form = await request.form()
    check_csrf(request, form)
    actor = require_actor(request)
    accounts = context(request).need_registry().accounts
    if change == "disable":
        accounts.disable_user(actor, username)
    elif change == "enable":
        accounts.enable_user(actor, username)
    else:
        from .errors import WebError

        raise WebError(404, "not-found", "There is no such change.")
    return RedirectResponse("/admin/users", status_code=303)

"""The review app: EKU sees, corrects and releases what the bot did (issue 9).

Server-rendered pages; every change is a plain form POST with a CSRF token, answered with
303 to the page to show next, so the app works without JavaScript and htmx only spares
reloads. What an officer does is in ``review.actions``; this module is the web around it.
"""

from __future__ import annotations

import io
import logging
import secrets
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from intake.commands import deliver_now
from intake.settings import Settings
from parsers.errors import LovbotError, MailParseError
from review import actions
from review.actions import EDITABLE_FIELDS, KINDS, ActionRefused, Correction, StaleCase
from review.auth import (
    LoginThrottle,
    User,
    check_csrf,
    csrf_token,
    current_user,
    officer,
    sign_in,
    verify_login,
)
from review.corpus import corpus_entry
from review.mailview import attachment, read_mail
from review.queue import Filters, load_queue
from review.register import load_register
from review.templating import STATUS_NAMES, make_templates
from review.trial import try_raw
from store.models import AuditEntry, Case, MailMessage, OutgoingMail, utcnow
from store.repository import find_case_by_number

__all__ = ["create_app"]

logger = logging.getLogger(__name__)
_HERE = Path(__file__).parent
_MAX_UPLOAD = 25 * 1024 * 1024  # Exchange Online's default message size limit
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def _db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


Db = Annotated[Session, Depends(_db)]
Reader = Annotated[User, Depends(current_user)]
Officer = Annotated[User, Depends(officer)]


def create_app(settings: Settings, sessions: Callable[[], Session]) -> FastAPI:
    """The app on ``sessions``; uvicorn serves it (``lovbot web``), tests use TestClient."""
    web = settings.web
    app = FastAPI(title="LOV-granskning", docs_url=None, redoc_url=None, openapi_url=None)
    templates = make_templates()
    throttle = LoginThrottle()
    secret = web.secret_key.get_secret_value()
    if not secret:
        logger.warning("[web] secret_key is empty: a random key; sign-ins end when the app stops")
        secret = secrets.token_urlsafe(32)
    host = urlsplit(web.base_url).hostname or ""
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie="granska",
        max_age=web.session_hours * 3600,
        same_site="lax",
        https_only=host not in _LOCAL_HOSTS,
    )
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    oidc = None
    if web.oidc_metadata_url:
        from review.oidc import register_oidc

        oidc = register_oidc(app, settings, templates)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.state.sessions = sessions

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        flashes = request.session.pop("flash", []) if "session" in request.scope else []
        user = None
        if "session" in request.scope and request.session.get("user"):
            user = current_user(request)
        return templates.TemplateResponse(
            request,
            name,
            {
                "user": user,
                "csrf": csrf_token(request),
                "flashes": flashes,
                "oidc": oidc is not None,
                "local_accounts": web.local_accounts,
                **context,
            },
            status_code=status_code,
        )

    def flash(request: Request, text: str, kind: str = "ok") -> None:
        request.session.setdefault("flash", []).append({"kind": kind, "text": text})

    def back_to(number: str, request: Request | None = None) -> RedirectResponse:
        query = ""
        if request is not None:
            referer = request.headers.get("referer", "")
            query = urlsplit(referer).query if f"/cases/{number}" in referer else ""
        return RedirectResponse(f"/cases/{quote(number)}{'?' + query if query else ''}", 303)

    def load_case(session: Session, number: str) -> Case:
        case = find_case_by_number(session, number)
        if case is None:
            raise HTTPException(404, f"Ärendet {number} finns inte.")
        return case

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (301, 302, 303, 307) and exc.headers:
            return RedirectResponse(exc.headers["Location"], exc.status_code)
        titles = {403: "Inte tillåtet", 404: "Finns inte", 429: "För många försök"}
        detail = exc.detail if isinstance(exc.detail, str) else ""
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Sidan finns inte."
        return page(
            request,
            "error.html",
            status_code=exc.status_code,
            title=titles.get(exc.status_code, "Något gick fel"),
            detail=detail,
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        logger.exception("Review app request failed: %s %s", request.method, request.url.path)
        return HTMLResponse(
            "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Fel</title>"
            "</head><body><main><h1>Något gick fel</h1><p>Felet är loggat. Försök igen, "
            "eller kontakta systemförvaltningen.</p></main></body></html>",
            status_code=500,
        )

    # -- sign-in ------------------------------------------------------------------------

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        return "ok"

    @app.get("/login")
    def login_page(request: Request) -> Response:
        return page(request, "login.html", title="Logga in")

    @app.post("/login", dependencies=[Depends(check_csrf)])
    async def login(request: Request, session: Db) -> Response:
        if not web.local_accounts:
            raise HTTPException(403, "Logga in med Microsoft-kontot.")
        form = await request.form()
        name = str(form.get("username", ""))[:200]
        password = str(form.get("password", ""))[:1000]
        keys = (
            f"user:{name.strip().casefold()}",
            f"ip:{request.client.host if request.client else ''}",
        )
        if throttle.blocked(*keys):
            raise HTTPException(
                429, "För många misslyckade inloggningar. Vänta en kvart och försök igen."
            )
        user = verify_login(session, name, password)
        if user is None:
            throttle.failed(*keys)
            return page(
                request,
                "login.html",
                status_code=401,
                title="Logga in",
                error="Fel användarnamn eller lösenord.",
                username=name,
            )
        throttle.succeeded(*keys)
        sign_in(request, user)
        return RedirectResponse("/", 303)

    @app.post("/logout", dependencies=[Depends(check_csrf)])
    def logout(request: Request) -> Response:
        request.session.clear()
        return RedirectResponse("/login", 303)

    # -- queue --------------------------------------------------------------------------

    @app.get("/")
    def queue(request: Request, user: Reader, session: Db) -> Response:
        filters = Filters.from_query(dict(request.query_params))
        view = load_queue(
            session, filters, now=utcnow(), awaiting_days=settings.digest.awaiting_days
        )
        failed_mail = session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.state == "failed", OutgoingMail.case_id.is_(None))
            .order_by(OutgoingMail.created_at)
        ).all()
        return page(
            request,
            "queue.html",
            title="Att granska",
            view=view,
            filters=filters,
            failed_mail=failed_mail,
            kinds=KINDS,
        )

    # -- register (issue 10) ------------------------------------------------------------

    @app.get("/register")
    def register_page(request: Request, user: Reader, session: Db) -> Response:
        view = load_register(session, settings, utcnow())
        return page(request, "register.html", title="Registret", view=view)

    @app.post("/messages/{message_id}/retry", dependencies=[Depends(check_csrf)])
    def retry(request: Request, message_id: int, user: Officer, session: Db) -> Response:
        message = session.get(MailMessage, message_id)
        if message is None:
            raise HTTPException(404, "Meddelandet finns inte.")
        try:
            case = actions.retry_message(session, settings, message, actor=user.name)
            session.commit()
        except ActionRefused as err:
            session.rollback()
            flash(request, str(err), "error")
            return RedirectResponse("/", 303)
        except Exception as err:  # the message's own failure, shown as the poller records it
            session.rollback()
            logger.warning("Retrying message %s failed: %r", message_id, err)
            flash(request, f"Meddelandet gick fortfarande inte att läsa: {err}", "error")
            return RedirectResponse("/", 303)
        deliver_now(settings)
        if case is None:
            flash(request, "Meddelandet lästes igen: ett automatiskt svar, inget ärende.")
            return RedirectResponse("/", 303)
        flash(request, f"Meddelandet lästes igen och hör nu till {case.number}.")
        return RedirectResponse(f"/cases/{quote(case.number)}", 303)

    # -- try a message ----------------------------------------------------------------

    @app.get("/prova")
    def try_page(request: Request, user: Reader) -> Response:
        return page(request, "try.html", title="Prova ett meddelande")

    @app.post("/prova", dependencies=[Depends(check_csrf)])
    async def try_message(request: Request, user: Reader) -> Response:
        raw = b""
        async with request.form() as form:
            upload = form.get("message")
            if isinstance(upload, UploadFile):
                raw = await upload.read(_MAX_UPLOAD + 1)
        if not raw or len(raw) > _MAX_UPLOAD:
            return page(
                request,
                "try.html",
                status_code=400,
                title="Prova ett meddelande",
                error="Välj en .eml-fil (högst 25 MB).",
            )
        try:
            trial = try_raw(settings, raw)
        except MailParseError as err:
            return page(
                request, "try.html", status_code=400, title="Prova ett meddelande", error=str(err)
            )
        return page(request, "try.html", title="Prova ett meddelande", trial=trial)

    # -- one case -----------------------------------------------------------------------

    @app.get("/cases/{number}")
    def case_page(request: Request, number: str, user: Reader, session: Db) -> Response:
        case = load_case(session, number)
        filters = Filters.from_query(dict(request.query_params))
        view = load_queue(
            session, filters, now=utcnow(), awaiting_days=settings.digest.awaiting_days
        )
        numbers = [item.case.number for item in view.items]
        previous = following = None
        if case.number in numbers:
            at = numbers.index(case.number)
            previous = numbers[at - 1] if at > 0 else None
            following = numbers[at + 1] if at + 1 < len(numbers) else None
        return page(
            request,
            "case.html",
            title=f"Ärende {case.number}",
            **_case_context(session, case),
            filters=filters,
            position=(numbers.index(case.number) + 1, len(numbers))
            if case.number in numbers
            else None,
            previous=previous,
            following=following,
        )

    def _case_context(session: Session, case: Case) -> dict[str, Any]:
        messages = [
            (m, read_mail(m.raw) if m.raw and m.purged_at is None else None) for m in case.messages
        ]
        result = case.result or {}
        form = result.get("form") or {}
        outgoing = session.scalars(
            select(OutgoingMail).where(OutgoingMail.case_id == case.id).order_by(OutgoingMail.id)
        ).all()
        history = session.scalars(
            select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.id)
        ).all()
        fields = dict(form.get("fields") or {})
        return {
            "case": case,
            "messages": messages,
            "form": form,
            "fields": fields,
            "editable_fields": EDITABLE_FIELDS,
            "unmatched": [u for u in form.get("unmatched_labels") or [] if isinstance(u, dict)],
            "outgoing": outgoing,
            "history": history,
            "kinds": KINDS,
            "held": [t for t in case.tasks if t.state == "held"],
        }

    @app.get("/cases/{number}/messages/{message_id}/attachments/{index}")
    def download(number: str, message_id: int, index: int, user: Reader, session: Db) -> Response:
        case = load_case(session, number)
        message = session.get(MailMessage, message_id)
        if message is None or message.case_id != case.id or not message.raw:
            raise HTTPException(404, "Bilagan finns inte.")
        found = attachment(message.raw, index)
        if found is None:
            raise HTTPException(404, "Bilagan finns inte.")
        filename, content_type, data = found
        return Response(
            data,
            media_type=content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            },
        )

    @app.get("/cases/{number}/corpus.zip")
    def corpus_zip(number: str, user: Reader, session: Db) -> Response:
        case = load_case(session, number)
        try:
            name, raw, line = corpus_entry(case)
        except LovbotError as err:
            raise HTTPException(404, str(err)) from err
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr(f"mail/{name}", raw)
            package.writestr("expected.jsonl", line + "\n")
        return Response(
            buffer.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{case.number}-korpus.zip"'},
        )

    def _run(
        request: Request, number: str, what: Callable[[Session, Case], str], session: Session
    ) -> Response:
        case = load_case(session, number)
        try:
            said = what(session, case)
            session.commit()
        except (StaleCase, ActionRefused, LovbotError) as err:
            session.rollback()
            flash(request, str(err), "error")
            return back_to(number, request)
        except StaleDataError:
            session.rollback()
            flash(request, actions.STALE, "error")
            return back_to(number, request)
        flash(request, said)
        return back_to(number, request)

    def _seen(form: Any) -> int:
        try:
            return int(str(form.get("version", "")))
        except ValueError:
            return -1

    @app.post("/cases/{number}/assign", dependencies=[Depends(check_csrf)])
    async def assign(request: Request, number: str, user: Officer, session: Db) -> Response:
        seen = _seen(await request.form())

        def act(s: Session, case: Case) -> str:
            actions.assign(s, case, seen_version=seen, actor=user.name)
            return f"{case.number} är tilldelat dig."

        return _run(request, number, act, session)

    @app.post("/cases/{number}/orders/release", dependencies=[Depends(check_csrf)])
    async def release(request: Request, number: str, user: Officer, session: Db) -> Response:
        seen = _seen(await request.form())

        def act(s: Session, case: Case) -> str:
            done = actions.release_orders(s, settings, case, seen_version=seen, actor=user.name)
            return "Beställningarna är godkända och skickas: " + ", ".join(t.system for t in done)

        response = _run(request, number, act, session)
        deliver_now(settings)
        return response

    @app.post("/cases/{number}/orders/stop", dependencies=[Depends(check_csrf)])
    async def stop(request: Request, number: str, user: Officer, session: Db) -> Response:
        seen = _seen(await request.form())

        def act(s: Session, case: Case) -> str:
            stopped = actions.stop_orders(s, case, seen_version=seen, actor=user.name)
            return "Beställningarna är stoppade och skickas inte: " + ", ".join(
                t.system for t in stopped
            )

        return _run(request, number, act, session)

    @app.post("/cases/{number}/tasks/{system}/done", dependencies=[Depends(check_csrf)])
    async def task_done(
        request: Request, number: str, system: str, user: Officer, session: Db
    ) -> Response:
        seen = _seen(await request.form())

        def act(s: Session, case: Case) -> str:
            actions.mark_done(s, case, system, seen_version=seen, actor=user.name)
            return f"Uppgiften {system} är markerad som klar."

        return _run(request, number, act, session)

    @app.post("/cases/{number}/close", dependencies=[Depends(check_csrf)])
    async def close(request: Request, number: str, user: Officer, session: Db) -> Response:
        form = await request.form()
        seen, note = _seen(form), str(form.get("note", ""))[:2000]

        def act(s: Session, case: Case) -> str:
            actions.close_case(s, case, seen_version=seen, actor=user.name, note=note)
            return f"{case.number} är avslutat som handlagt för hand."

        return _run(request, number, act, session)

    @app.post("/cases/{number}/correct/preview", dependencies=[Depends(check_csrf)])
    async def correct_preview(
        request: Request, number: str, user: Officer, session: Db
    ) -> Response:
        case = load_case(session, number)
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            correction = Correction.from_form(form)
        except ActionRefused as err:
            flash(request, str(err), "error")
            return back_to(number)
        _understanding, evaluation = actions.preview_correction(settings, case, correction)
        orders_wait = settings.routing.hold_orders or evaluation.orders_wait
        return page(
            request,
            "preview.html",
            title=f"Kontrollera rättelsen av {case.number}",
            case=case,
            submitted=form,
            correction=correction,
            evaluation=evaluation,
            orders_wait=orders_wait,
            has_tasks=bool(case.tasks),
        )

    @app.post("/cases/{number}/correct", dependencies=[Depends(check_csrf)])
    async def correct(request: Request, number: str, user: Officer, session: Db) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        seen = _seen(form)
        send_ack = form.get("send_ack") == "1"

        def act(s: Session, case: Case) -> str:
            correction = Correction.from_form(form)
            evaluation = actions.apply_correction(
                s, settings, case, correction, seen_version=seen, actor=user.name
            )
            if send_ack:
                actions.send_corrected_ack(s, settings, case, actor=user.name)
            return f"Rättelsen är sparad. Status: {STATUS_NAMES.get(evaluation.status)}." + (
                " En rättad bekräftelse skickas till avsändaren." if send_ack else ""
            )

        response = _run(request, number, act, session)
        deliver_now(settings)
        return response

    return app

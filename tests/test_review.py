"""The review app, server side: sign-in, the queue, the case page and every action,
on SQLite and PostgreSQL, through FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from review_helpers import (
    OFFICER_PASSWORD,
    Seeded,
    client_for,
    csrf_of,
    seed,
    sign_in,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditEntry, Case, MailMessage, OutgoingMail
from store.raw import write_raw


@pytest.fixture
def seeded(tmp_path: Path, db_url: str, sessions: Callable[[], Session]) -> Seeded:
    return seed(tmp_path, db_url, sessions)


def _case(sessions: Callable[[], Session], number: str) -> Case:
    with sessions() as session:
        case = session.scalars(select(Case).where(Case.number == number)).one()
        _ = (case.tasks, case.findings)
        return case


def _actions(sessions: Callable[[], Session], number: str) -> list[tuple[str, str]]:
    with sessions() as session:
        case_id = session.scalars(select(Case.id).where(Case.number == number)).one()
        return [
            (a.actor, a.action)
            for a in session.scalars(
                select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
            )
        ]


def test_health_answers_without_sign_in_and_pages_ask_for_it(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    assert client.get("/healthz").status_code == 200
    for path in ("/", f"/cases/{seeded.held}"):
        response = client.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_wrong_password_is_refused_and_repeated_guessing_is_stopped(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    response = sign_in(client, "eva", "fel-lösenord-igen")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.text
    for _ in range(4):
        sign_in(client, "eva", "fel-lösenord-igen")
    blocked = sign_in(client, "eva", OFFICER_PASSWORD)
    assert blocked.status_code == 429
    assert "För många" in blocked.text


def test_session_cookie_is_httponly_lax_and_lasts_eight_hours(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    response = sign_in(client, "eva")
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=28800" in cookie
    # Localhost: not Secure, or the browser would drop it over http.
    assert "secure" not in cookie


def test_the_cookie_is_secure_outside_localhost(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    from fastapi.testclient import TestClient

    from intake.settings import WebSettings
    from review.app import create_app

    settings = seeded.settings.model_copy(
        update={"web": WebSettings(base_url="https://lov-granskning.goteborg.se")}
    )
    client = TestClient(
        create_app(settings, sessions),
        base_url="https://lov-granskning.goteborg.se",
        follow_redirects=False,
    )
    response = sign_in(client, "eva")
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


def test_queue_lists_what_needs_a_human_oldest_first_with_personnummer_masked(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert text.index(seeded.held) < text.index(seeded.question) < text.index(seeded.html)
    assert "Beställningar väntar på godkännande (1)" in text
    assert "19121212-1212" not in text and "19121212-****" in text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    held_only = client.get("/?reason=held").text
    assert seeded.held in held_only and seeded.question not in held_only
    by_sender = client.get("/?sender=example.com").text
    assert seeded.html in by_sender and seeded.held not in by_sender


def test_case_page_shows_mail_findings_tasks_history_and_masks_personnummer(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{seeded.question}?reason=needs_review")
    assert page.status_code == 200
    assert "Vi undrar hur vi fakturerar" in page.text
    assert "19121212-1212" not in page.text
    # The personal_data finding's evidence is marked where it stands in the mail.
    assert "för brukaren <mark>19121212-****</mark> i mars" in page.text
    assert "case_opened" in page.text  # the audit history
    assert f'href="/cases/{seeded.html}?reason=needs_review" rel="next"' in page.text
    held = client.get(f"/cases/{seeded.held}").text
    assert "Väntar på godkännande" in held and "Godkänn beställningarna" in held


def test_mail_html_is_sanitised_and_attachments_download(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{seeded.html}").text
    assert "<b>när</b>" in page
    assert "<script>alert" not in page and "tracker.example" not in page
    assert "javascript:" not in page
    with sessions() as session:
        message_id = session.scalars(
            select(MailMessage.id).where(MailMessage.message_id == "<html-1@example.com>")
        ).one()
    download = client.get(f"/cases/{seeded.html}/messages/{message_id}/attachments/0")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.content == b"%PDF-1.4 test"
    missing = client.get(f"/cases/{seeded.held}/messages/{message_id}/attachments/0")
    assert missing.status_code == 404


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    version = _case(sessions, seeded.held).version
    for data in ({"version": str(version)}, {"version": str(version), "csrf": "gissat"}):
        response = client.post(f"/cases/{seeded.held}/orders/release", data=data)
        assert response.status_code == 403
    assert {t.state for t in _case(sessions, seeded.held).tasks if t.owner != "eku"} == {"held"}


def test_a_reader_can_look_but_not_change(seeded: Seeded, sessions: Callable[[], Session]) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "lars")
    page = client.get(f"/cases/{seeded.held}")
    assert page.status_code == 200 and "Godkänn beställningarna" not in page.text
    version = _case(sessions, seeded.held).version
    response = client.post(
        f"/cases/{seeded.held}/orders/release",
        data={"csrf": csrf_of(page), "version": str(version)},
    )
    assert response.status_code == 403
    assert "läsbehörighet" in response.text
    assert {t.state for t in _case(sessions, seeded.held).tasks if t.owner != "eku"} == {"held"}


def test_approving_held_orders_sends_them_and_audits_who(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{seeded.held}")
    version = _case(sessions, seeded.held).version
    response = client.post(
        f"/cases/{seeded.held}/orders/release",
        data={"csrf": csrf_of(page), "version": str(version)},
    )
    assert response.status_code == 303
    assert client.get(response.headers["location"]).text.count("Beställd") == 2
    with sessions() as session:
        orders = session.scalars(select(OutgoingMail).where(OutgoingMail.purpose == "order")).all()
        assert sorted(o.recipient for o in orders) == sorted(
            [seeded.settings.routing.intraservice, seeded.settings.routing.kom]
        )
        assert {o.state for o in orders} == {"sent"}
    assert _actions(sessions, seeded.held).count(("eva", "order_approved")) == 2


def test_stopping_held_orders_sends_nothing(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{seeded.held}")
    client.post(
        f"/cases/{seeded.held}/orders/stop",
        data={"csrf": csrf_of(page), "version": str(_case(sessions, seeded.held).version)},
    )
    case = _case(sessions, seeded.held)
    assert {t.state for t in case.tasks if t.owner != "eku"} == {"stopped"}
    with sessions() as session:
        assert not session.scalars(
            select(OutgoingMail).where(OutgoingMail.purpose == "order")
        ).all()
    assert ("eva", "order_stopped") in _actions(sessions, seeded.held)
    assert f'/cases/{seeded.held}"' not in client.get("/").text


def test_marking_ekus_task_done(seeded: Seeded, sessions: Callable[[], Session]) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{seeded.held}")
    client.post(
        f"/cases/{seeded.held}/tasks/jamfor_service/done",
        data={"csrf": csrf_of(page), "version": str(_case(sessions, seeded.held).version)},
    )
    task = next(t for t in _case(sessions, seeded.held).tasks if t.system == "jamfor_service")
    assert (task.state, task.done_by) == ("done", "eva")


def test_a_correction_is_previewed_then_saved_rerun_and_acknowledged(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{seeded.question}")
    before = _case(sessions, seeded.question)
    assert before.status == "needs_review" and not before.tasks
    form = {
        "csrf": csrf_of(page),
        "version": str(before.version),
        "kind": "close_unit",
        "units": "Daglig verksamhet Hamnen",
        "new_name": "",
        "effective_date": "2027-09-30",
    }
    preview = client.post(f"/cases/{seeded.question}/correct/preview", data=form)
    assert preview.status_code == 200
    assert "Ingenting är sparat ännu" in preview.text and "Komplett" in preview.text
    assert _case(sessions, seeded.question).status == "needs_review"  # nothing written yet

    saved = client.post(f"/cases/{seeded.question}/correct", data={**form, "send_ack": "1"})
    assert saved.status_code == 303
    after = _case(sessions, seeded.question)
    assert (after.kind, after.status, after.units) == (
        "close_unit",
        "complete",
        ["Daglig verksamhet Hamnen"],
    )
    # [routing] hold_orders: the orders wait for approval; EKU's own tasks are open.
    assert {t.system: t.state for t in after.tasks if t.owner != "eku"} == {
        "treserva": "held",
        "enhetssida": "held",
    }
    assert {t.state for t in after.tasks if t.owner == "eku"} == {"open"}
    assert after.version > before.version
    actions = _actions(sessions, seeded.question)
    assert ("eva", "reading_corrected") in actions and ("eva", "corrected_ack_queued") in actions
    with sessions() as session:
        acks = session.scalars(
            select(OutgoingMail).where(
                OutgoingMail.purpose == "ack", OutgoingMail.case_id == after.id
            )
        ).all()
    assert len(acks) == 2 and b"Enhet avslutas" in acks[-1].raw


def test_two_officers_saving_the_same_case_the_second_is_told(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    first, second = client_for(seeded, sessions), client_for(seeded, sessions)
    sign_in(first, "eva")
    sign_in(second, "eva")
    version = str(_case(sessions, seeded.question).version)
    pages = [c.get(f"/cases/{seeded.question}") for c in (first, second)]
    base = {"version": version, "new_name": "", "effective_date": "2027-09-30"}
    first.post(
        f"/cases/{seeded.question}/correct",
        data={**base, "csrf": csrf_of(pages[0]), "kind": "close_unit", "units": "Hamnen"},
    )
    told = second.post(
        f"/cases/{seeded.question}/correct",
        data={**base, "csrf": csrf_of(pages[1]), "kind": "new_unit", "units": "Annat"},
    )
    assert "Någon annan har sparat ärendet" in second.get(told.headers["location"]).text
    case = _case(sessions, seeded.question)
    assert (case.kind, case.units) == ("close_unit", ["Hamnen"])


def test_closing_by_hand_takes_the_case_off_the_queue(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{seeded.question}")
    client.post(
        f"/cases/{seeded.question}/close",
        data={
            "csrf": csrf_of(page),
            "version": str(_case(sessions, seeded.question).version),
            "note": "Besvarat per telefon",
        },
    )
    assert f'/cases/{seeded.question}"' not in client.get("/").text
    assert _case(sessions, seeded.question).closed_by == "eva"
    assert ("eva", "case_closed_by_hand") in _actions(sessions, seeded.question)


def test_assign_to_me(seeded: Seeded, sessions: Callable[[], Session]) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get("/")
    client.post(
        f"/cases/{seeded.html}/assign",
        data={"csrf": csrf_of(page), "version": str(_case(sessions, seeded.html).version)},
    )
    assert _case(sessions, seeded.html).assigned_to == "eva"


def test_a_quarantined_message_is_read_again(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    from mails import build_mail
    from review_helpers import CLOSE

    with sessions() as session, session.begin():
        row = MailMessage(
            mailbox="test",
            folder="INBOX",
            uidvalidity=1,
            uid=999,
            sha256="0" * 64,
            state="failed",
            error="RuntimeError('tillfälligt fel')",
            target_folder="Karantän",
        )
        session.add(row)
        raw = build_mail(CLOSE.replace("Hamnen", "Kajen"), message_id="<karantan@goteborg.se>")
        write_raw(session, [(row, raw)])
        row_id = row.id
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get("/")
    assert "tillfälligt fel" in page.text
    response = client.post(f"/messages/{row_id}/retry", data={"csrf": csrf_of(page)})
    assert response.status_code == 303
    with sessions() as session:
        row = session.get(MailMessage, row_id)
        assert row is not None and row.state == "processed" and row.case is not None
        assert row.case.units == ["Daglig verksamhet Kajen"]
        number = row.case.number
    assert response.headers["location"] == f"/cases/{number}"
    assert ("eva", "quarantine_retried") in _actions(sessions, number)


def test_trying_a_message_shows_what_would_happen_and_records_nothing(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    from mails import build_mail
    from review_helpers import CLOSE

    client = client_for(seeded, sessions)
    sign_in(client, "lars")  # a reader may try: nothing is written
    page = client.get("/prova")
    with sessions() as session:
        before = (
            len(session.scalars(select(Case)).all()),
            len(session.scalars(select(OutgoingMail)).all()),
        )
    mail = build_mail(CLOSE.replace("Hamnen", "Kajen") + "\nPnr 19121212-1212")
    result = client.post(
        "/prova",
        data={"csrf": csrf_of(page)},
        files={"message": ("prov.eml", mail, "message/rfc822")},
    )
    assert result.status_code == 200
    text = result.text
    assert "Enhet avslutas" in text and "Daglig verksamhet Kajen" in text
    assert "(väntar på godkännande)" in text  # [routing] hold_orders
    assert "Tack för ditt meddelande till LOV-brevlådan" in text
    assert "19121212-1212" not in text
    with sessions() as session:
        after = (
            len(session.scalars(select(Case)).all()),
            len(session.scalars(select(OutgoingMail)).all()),
        )
    assert after == before
    refused = client.post(
        "/prova",
        data={"csrf": csrf_of(page)},
        files={"message": ("tom.eml", b"inget brev alls", "message/rfc822")},
    )
    assert refused.status_code == 400 and "e-posthuvud" in refused.text


def test_a_save_racing_another_fails_at_the_database_not_silently(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    """Both officers passed the form check; the database's version check stops the second."""
    from sqlalchemy.orm.exc import StaleDataError

    from review.actions import assign
    from store.repository import find_case_by_number

    with sessions() as first:
        mine = find_case_by_number(first, seeded.question)
        assert mine is not None
        seen = mine.version
        with sessions() as second, second.begin():
            theirs = find_case_by_number(second, seeded.question)
            assert theirs is not None
            assign(second, theirs, seen_version=seen, actor="lars")
        assign(first, mine, seen_version=seen, actor="eva")  # its copy still says `seen`
        with pytest.raises(StaleDataError):
            first.commit()
    assert _case(sessions, seeded.question).assigned_to == "lars"


def test_the_form_marks_missing_fields_and_lists_labels_it_could_not_place(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    from formbuilders import build_form
    from local_intake import poll_local
    from mails import build_mail

    answers = {
        "typ_av_andring": ["Ny enhet"],
        "verksamhetsomrade": "Daglig verksamhet LSS",
        "utforare": "Förvaltningen för funktionsstöd",
        "enhetens_namn": "Daglig verksamhet Solrosen",
        "ansvarskod": "4711299",
        "startdatum": "2027-09-01",
        "oppettider": "Blå",
    }
    seeded = seed(tmp_path, db_url, sessions)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    poll_local(
        seeded.settings,
        sessions,
        build_mail(
            "Hej,\nDaglig verksamhet Solrosen startar 2027-09-01. Blanketten bifogas.",
            subject="Ny enhet Solrosen",
            message_id="<solrosen@goteborg.se>",
            attachments=[
                ("blankett.docx", docx, build_form(answers, labels={"oppettider": "Favoritfärg"}))
            ],
        ),
    )
    with sessions() as session:
        row = session.scalars(
            select(MailMessage).where(MailMessage.message_id == "<solrosen@goteborg.se>")
        ).one()
        assert row.case is not None
        number = row.case.number
        missing = row.case.result["form"]["missing"]
    assert missing  # the form lacks required fields, e.g. its address
    client = client_for(seeded, sessions)
    sign_in(client, "eva")
    page = client.get(f"/cases/{number}").text
    assert page.count('class="mark-missing"') == len(missing)
    assert "Rubriker som inte kunde placeras" in page
    assert "<dt>Favoritfärg</dt><dd>Blå</dd>" in page


def test_the_digest_links_each_case_to_its_page(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    from intake.digest_job import print_digest
    from intake.settings import WebSettings

    settings = seeded.settings.model_copy(
        update={"web": WebSettings(base_url="https://lov-granskning.goteborg.se/")}
    )
    text = print_digest(settings, sessions)
    assert f"https://lov-granskning.goteborg.se/cases/{seeded.question}" in text
    assert f"https://lov-granskning.goteborg.se/cases/{seeded.held}" in text

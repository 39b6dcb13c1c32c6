"""The review app in a real browser: Debian's chromium driven by Playwright, axe-core for
WCAG 2.1 AA, the keyboard, JavaScript off, and 320 px reflow.

The app runs under uvicorn on a free 127.0.0.1 port with a fresh SQLite database seeded
by the poller. Playwright never downloads a browser here: ``executable_path`` points at
the apt package (scripts/test installs it); without it the tests skip loudly, and fail
under CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_entra import CLIENT_ID, free_port, running_entra, serve
from mails import build_mail
from playwright.sync_api import expect
from review_helpers import CLOSE, OFFICER_PASSWORD, Seeded, seed, seed_register
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.settings import WebSettings
from parsers.understand import STOCKHOLM
from review.app import create_app
from store.db import make_engine, make_sessionmaker, upgrade
from store.models import AuditEntry, Case, MailMessage, Task, utcnow
from store.raw import write_raw

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Screenshots for the README, when asked for: LOVBOT_SCREENSHOTS=docs/screenshots.
SCREENSHOTS = os.environ.get("LOVBOT_SCREENSHOTS")


@dataclass(frozen=True, slots=True)
class Running:
    url: str
    seeded: Seeded
    sessions: Any


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        reason = "chromium is not installed (apt-get install chromium; scripts/test does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the browser tests.")
        pytest.skip(f"SKIPPING BROWSER TESTS: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Running]:
    url = f"sqlite:///{tmp_path / 'lovbot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    seeded = seed(tmp_path, url, sessions)
    seed_register(sessions, utcnow().astimezone(STOCKHOLM).date())
    port = free_port()
    try:
        with serve(create_app(seeded.settings, sessions), port):
            yield Running(f"http://127.0.0.1:{port}", seeded, sessions)
    finally:
        engine.dispose()


def _sign_in(page: Any, base: str, name: str = "eva") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Lösenord").fill(OFFICER_PASSWORD)
    page.get_by_label("Lösenord").press("Enter")
    page.get_by_role("heading", name="Att granska").wait_for()


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
    ]


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _widest(page: Any) -> list[str]:
    """What sticks out to the right, for the failure message."""
    return list(
        page.evaluate(
            """[...document.querySelectorAll('body *')]
            .filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"""
        )
    )


def test_every_page_passes_axe_and_reflows_at_320_px(browser: Any, app: Running) -> None:
    context = browser.new_context(bypass_csp=True)  # axe is injected by script
    page = context.new_page()
    page.goto(f"{app.url}/login")
    assert _axe(page) == []
    _sign_in(page, app.url)
    pages = {
        "queue": "/",
        "case": f"/cases/{app.seeded.question}",
        "try": "/prova",
        "register": "/register",
    }
    for name, path in pages.items():
        page.goto(app.url + path)
        page.locator("main h1").wait_for()
        assert _axe(page) == [], name
        if SCREENSHOTS:
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
    page.goto(f"{app.url}/cases/{app.seeded.held}")
    page.get_by_role("button", name="Förhandsgranska rättelsen").click()
    page.get_by_role("heading", name=f"Kontrollera rättelsen av {app.seeded.held}").wait_for()
    assert _axe(page) == [], "preview"
    page.goto(f"{app.url}/prova")
    page.get_by_label("Meddelande (.eml)").set_input_files(
        {"name": "prov.eml", "mimeType": "message/rfc822", "buffer": build_mail(CLOSE)}
    )
    page.get_by_role("button", name="Prova").click()
    page.get_by_role("heading", name="Så skulle boten läsa det").wait_for()
    assert _axe(page) == [], "try result"
    missing = page.goto(f"{app.url}/cases/LOV-2027-9999")
    assert missing is not None and missing.status == 404
    page.get_by_role("heading", name="Finns inte").wait_for()
    assert _axe(page) == [], "404"
    page.set_viewport_size({"width": 320, "height": 640})
    for path in pages.values():
        page.goto(app.url + path)
        page.locator("main h1").wait_for()
        assert _no_sideways_scroll(page), (path, _widest(page))
    context.close()


def test_keyboard_only_walk_of_the_queue_and_a_correction(browser: Any, app: Running) -> None:
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, app.url)
    page.goto(f"{app.url}/")
    page.get_by_role("heading", name="Att granska").wait_for()
    # The skip link comes first and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    link = page.get_by_role("link", name=app.seeded.question, exact=True)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == app.seeded.question:
            break
    assert link.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Ärende {app.seeded.question}").wait_for()
    # htmx swapped the page: focus is on the heading, not lost on <body> (WCAG 2.4.3).
    expect(page.locator("main h1")).to_be_focused()

    page.get_by_label("Typ av ändring").focus()
    page.keyboard.press("End")  # the last kind in the list, "Övrigt", then up to "Ny utförare"
    page.keyboard.press("ArrowUp")
    page.get_by_label("Enheter (en per rad)").focus()
    page.keyboard.type("Daglig verksamhet Hamnen")
    button = page.get_by_role("button", name="Förhandsgranska rättelsen")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Kontrollera rättelsen av {app.seeded.question}").wait_for()
    expect(page.locator("main h1")).to_be_focused()
    page.get_by_role("button", name="Spara rättelsen").focus()
    page.keyboard.press("Enter")
    saved = page.locator("#meddelanden .flash")
    expect(saved).to_be_focused()
    assert saved.inner_text().startswith("Rättelsen är sparad")
    with app.sessions() as session:
        case = session.scalars(select(Case).where(Case.number == app.seeded.question)).one()
        assert case.kind == "onboarding" and case.units == ["Daglig verksamhet Hamnen"]
    context.close()


def test_next_and_previous_case_from_the_keyboard(browser: Any, app: Running) -> None:
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, app.url)
    page.goto(f"{app.url}/cases/{app.seeded.held}?reason=needs_review")
    page.get_by_role("heading", name=f"Ärende {app.seeded.held}").wait_for()
    # Not in the needs_review list: nothing to walk.
    expect(page.get_by_role("link", name="Nästa ärende", exact=False)).to_have_count(0)
    page.goto(f"{app.url}/cases/{app.seeded.question}?reason=needs_review")
    expect(page.get_by_text("1 av 2 i listan")).to_be_visible()
    page.keyboard.press("Alt+Shift+KeyN")
    page.get_by_role("heading", name=f"Ärende {app.seeded.html}").wait_for()
    expect(page.get_by_text("2 av 2 i listan")).to_be_visible()
    assert page.url.endswith(f"/cases/{app.seeded.html}?reason=needs_review")
    page.keyboard.press("Alt+Shift+KeyP")
    page.get_by_role("heading", name=f"Ärende {app.seeded.question}").wait_for()
    context.close()


def test_every_action_with_htmx_keeps_focus_on_what_happened(browser: Any, app: Running) -> None:
    with app.sessions() as session, session.begin():
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
        raw = build_mail(CLOSE.replace("Hamnen", "Kajen"), message_id="<k@goteborg.se>")
        write_raw(session, [(row, raw)])
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, app.url)
    flash = page.locator("#meddelanden .flash")

    def act(path: str, button: str, said: str) -> None:
        page.goto(app.url + path)
        page.locator("main h1").wait_for()
        page.get_by_role("button", name=button).first.click()
        expect(flash).to_be_focused()
        assert flash.inner_text().startswith(said), flash.inner_text()

    held = f"/cases/{app.seeded.held}"
    act(held, "Markera klar", "Uppgiften jamfor_service är markerad som klar")
    act(held, "Stoppa beställningarna", "Beställningarna är stoppade")
    act(f"/cases/{app.seeded.html}", "Tilldela mig", f"{app.seeded.html} är tilldelat dig")
    act(f"/cases/{app.seeded.question}", "Avsluta ärendet", f"{app.seeded.question} är avslutat")
    act("/", "Läs igen", "Meddelandet lästes igen")
    with app.sessions() as session:
        cases = {c.number: c for c in session.scalars(select(Case))}
        tasks = {(t.case_id, t.system): t.state for t in session.scalars(select(Task))}
        kajen = [c for c in cases.values() if c.units == ["Daglig verksamhet Kajen"]]
        held_case = cases[app.seeded.held]
        assert tasks[(held_case.id, "jamfor_service")] == "done"
        assert tasks[(held_case.id, "treserva")] == "stopped"
        assert cases[app.seeded.html].assigned_to == "eva"
        assert cases[app.seeded.question].closed_by == "eva"
        assert len(kajen) == 1
    assert page.url.endswith(f"/cases/{kajen[0].number}")
    context.close()


def test_approving_orders_works_with_javascript_off(browser: Any, app: Running) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, app.url)
    page.goto(f"{app.url}/cases/{app.seeded.held}")
    page.get_by_role("button", name="Godkänn beställningarna").click()
    page.get_by_text("Beställningarna är godkända").wait_for()
    session: Session
    with app.sessions() as session:
        states = session.scalars(select(Task.state).where(Task.owner != "eku")).all()
        actors = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "order_approved")
        ).all()
    assert sorted(states) == ["ordered", "ordered"] and actors == ["eva", "eva"]
    context.close()


def test_signing_in_with_entra_id_in_the_browser(browser: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lovbot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    seeded = seed(tmp_path, url, sessions)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    try:
        with running_entra() as entra:
            settings = seeded.settings.model_copy(
                update={
                    "web": WebSettings(
                        base_url=base,
                        local_accounts=False,
                        oidc_metadata_url=f"{entra.issuer}/v2.0/.well-known/openid-configuration",
                        oidc_client_id=CLIENT_ID,
                    )
                }
            )
            entra.claims = {"sub": "s", "oid": "oid-9", "name": "Eva Ek", "roles": ["LOV.Lasare"]}
            with serve(create_app(settings, sessions), port):
                context = browser.new_context(bypass_csp=True)
                page = context.new_page()
                page.goto(f"{base}/login")
                assert _axe(page) == []
                page.get_by_role("link", name="Logga in med ditt Göteborgs Stad-konto").click()
                page.get_by_role("heading", name="Att granska").wait_for()
                expect(page.get_by_text("Inloggad som Eva Ek (läsbehörighet)")).to_be_visible()
                context.close()
    finally:
        engine.dispose()

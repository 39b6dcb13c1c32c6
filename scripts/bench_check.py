"""Benchmark (numbers, not a test): ``lovbot check`` per message, with and without a form.

Writes N generated Swedish change notices to a temporary directory, half of them with the
form Verksamhetsuppgifter attached as .docx (built the way ``tests/formbuilders.py`` builds
it, in every style it knows, so every reader path is exercised), then times:

1. ``lovbot check --json`` as one subprocess over each half (wall time, the process start
   measured separately on one small message and subtracted);
2. ``intake.pipeline.analyse`` in this process, message by message (mean, p50, p95, max),
   and the stages inside it: ``parse_mail``, ``read_form``, ``understand`` without the
   form reader, ``evaluate`` + report line.

    .venv/bin/python scripts/bench_check.py [--n 200] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from formbuilders import CHECKBOX_STYLES, STYLES, build_form  # noqa: E402
from mails import build_mail  # noqa: E402

from intake.pipeline import analyse, sender_policy  # noqa: E402
from intake.settings import load_settings  # noqa: E402
from parsers.form import read_form  # noqa: E402
from parsers.mail import parse_mail  # noqa: E402
from parsers.understand import STOCKHOLM, understand  # noqa: E402
from rules.evaluate import evaluate  # noqa: E402
from rules.report import report_line  # noqa: E402

LOVBOT = ROOT / ".venv" / "bin" / "lovbot"
CONFIG = ROOT.parent / "shared" / "samples" / "lovbot.toml"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAMES = [
    "Björkängen",
    "Kvarnen",
    "Lunden",
    "Tallen",
    "Solrosen",
    "Hamnen",
    "Eken",
    "Almen",
    "Kastanjen",
    "Lyktan",
    "Berget",
    "Gläntan",
    "Ängen",
    "Strandvägen",
    "Kortedala",
    "Guldheden",
    "Hjällbo",
    "Vättlefjäll",
    "Solbacken",
    "Ljuset",
]
SIGNATURE = (
    "\n\nMed vänliga hälsningar\nAnna Lind\nEnhetschef\nFörvaltningen för funktionsstöd\n"
    "Telefon: 031-365 12 34\n\nNär du skickar e-post till Göteborgs Stad behandlar vi dina "
    "personuppgifter."
)
QUOTE = (
    "\n\n-----Ursprungligt meddelande-----\nFrån: LOV <lov@stadshuset.goteborg.se>\n"
    "Skickat: den 2 mars 2027 09:12\nTill: Anna Lind\nÄmne: {subject}\n\n"
    "Hej Anna! Tack för ditt meddelande. Kan du skicka blanketten Verksamhetsuppgifter?"
)
# (subject, body, ticked box on the form): one per kind, wordings varied.
TEMPLATES: tuple[tuple[str, str, str], ...] = (
    (
        "Ny enhet – Daglig verksamhet {n}",
        "Hej!\n\nVi startar en ny enhet, Daglig verksamhet {n}, som blir valbar från och med "
        "{d}.\nEkonomisk ansvarskod: 47112{i:02d}\n\nBifogar ifylld blankett.",
        "Ny enhet",
    ),
    (
        "Nedläggning DV {n}",
        "Hej,\nDV {n} läggs ned, sista öppetdag är {d}. Vi har informerat berörda "
        "socialsekreterare.",
        "Övriga ändringar",
    ),
    (
        "Sammanslagning",
        "Daglig verksamhet {n} och Daglig verksamhet {m} slås samman från {d}. Den nya "
        "enheten heter Daglig verksamhet {n} {m}. Ansvarskod 47113{i:02d}.",
        "Sammanslagning",
    ),
    (
        "Namnändring",
        "Daglig verksamhet {n} byter namn till Daglig verksamhet {m} från och med {d}.",
        "Namnändring",
    ),
    (
        "Kapacitetstaket är nått",
        "Vi vill meddela att kapacitetstaket för Daglig verksamhet {n} är nått från och med "
        "{d}. Vi kan inte ta emot nya uppdrag tills vidare.",
        "Övriga ändringar",
    ),
    (
        "Ledig kapacitet igen",
        "Daglig verksamhet {n} har ledig kapacitet igen och kan ta emot nya brukare från den {d}.",
        "Övriga ändringar",
    ),
    (
        "Ny enhetschef på DV {n}",
        "Från och med den {d} är Lena Berg ny enhetschef för DV {n}. Lena nås på "
        "lena.berg@funktionsstod.goteborg.se och 031-365 22 10.",
        "Övriga ändringar",
    ),
    (
        "Fråga om Jämför service",
        "Hej!\nHur lång tid tar det innan ändringar för DV {n} syns i Jämför service?",
        "Övriga ändringar",
    ),
)


def generate(n: int, directory: Path) -> tuple[list[Path], list[Path]]:
    """Write n messages; return (with form, without form)."""
    with_form: list[Path] = []
    without: list[Path] = []
    sent = dt.datetime(2027, 3, 1, 9, 0, tzinfo=STOCKHOLM)
    for i in range(n):
        subject, body, box = TEMPLATES[i % len(TEMPLATES)]
        name, other = NAMES[i % len(NAMES)], NAMES[(i * 7 + 3) % len(NAMES)]
        effective = (sent + dt.timedelta(days=20 + i % 90)).date()
        words = {"n": name, "m": other, "d": f"{effective:%Y-%m-%d}", "i": i % 100}
        text = body.format(**words) + SIGNATURE
        if i % 3 == 0:
            text += QUOTE.format(subject=subject.format(**words))
        attachments: list[tuple[str, str, bytes]] = []
        if i % 2 == 0:
            answers = {
                "typ_av_andring": [box],
                "verksamhetsomrade": "Daglig verksamhet",
                "utforare": "Förvaltningen för funktionsstöd",
                "enhetens_namn": f"Daglig verksamhet {name} {i}",
                "ansvarskod": f"4711{i:03d}",
                "startdatum": f"{effective:%Y-%m-%d}",
                "besoksadress": "Storgatan 1",
                "postnummer": "411 38",
                "ort": "Göteborg",
                "telefon": "031-365 00 00",
                "epost": "dv@goteborg.se",
                "ansvarig_chef": "Anna Lind",
                "ansvarig_chef_epost": "anna.lind@goteborg.se",
                "beskrivning": "Verksamhet med inriktning mot natur och trädgård. " * 5,
                "antal_platser": "12",
            }
            style = STYLES[(i // 2) % len(STYLES)]
            boxes = CHECKBOX_STYLES[(i // 2) % len(CHECKBOX_STYLES)]
            form = build_form(answers, style, checkboxes=boxes)
            attachments.append(("Verksamhetsuppgifter.docx", DOCX, form))
        raw = build_mail(
            text,
            subject=subject.format(**words),
            date=sent + dt.timedelta(minutes=i),
            message_id=f"<bench-{i}@funktionsstod.goteborg.se>",
            attachments=attachments,
        )
        path = directory / f"{i:04d}.eml"
        path.write_bytes(raw)
        (with_form if attachments else without).append(path)
    return with_form, without


def run_check(files: Sequence[Path]) -> tuple[float, list[dict[str, object]]]:
    start = time.perf_counter()
    proc = subprocess.run(
        [str(LOVBOT), "check", "--config", str(CONFIG), "--json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if len(lines) != len(files):
        raise SystemExit(f"lovbot check gave {len(lines)} lines for {len(files)} files")
    return elapsed, lines


def summary(times: Sequence[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"mean {statistics.fmean(ms):6.2f} ms   p50 {statistics.median(ms):6.2f} ms   "
        f"p95 {p95:6.2f} ms   max {ms[-1]:6.2f} ms"
    )


def timed(function: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="in-process runs; best counts")
    parser.add_argument("--keep", action="store_true", help="keep the generated mail")
    args = parser.parse_args(argv)

    directory = Path(tempfile.mkdtemp(prefix="lovbot-bench-"))
    try:
        with_form, without = generate(args.n, directory)
        print(
            f"{args.n} messages in {directory}: {len(with_form)} with form, {len(without)} without"
        )

        # 1. One `lovbot check` process per half; process start measured on one message.
        start_up = min(run_check(without[:1])[0] for _ in range(3))
        print("\nlovbot check --json (one process, wall time)")
        print(f"  process start + 1 message      {start_up * 1000:8.1f} ms")
        kinds: Counter[str] = Counter()
        for label, files in (("with form", with_form), ("without form", without)):
            elapsed, lines = run_check(files)
            kinds.update(str(line["kind"]) for line in lines)
            per = (elapsed - start_up) / max(1, len(files) - 1)
            print(
                f"  {label:13} {len(files):4d} files {elapsed * 1000:8.1f} ms total, "
                f"{per * 1000:6.2f} ms per message after start-up"
            )
        print("  kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))

        # 2. In process, message by message.
        policy = sender_policy(load_settings(CONFIG))
        print(f"\nintake.pipeline.analyse in process (best of {args.repeat} per message)")
        for label, files in (("with form", with_form), ("without form", without)):
            raws = [path.read_bytes() for path in files]
            times = [timed(lambda raw=raw: analyse(raw, policy), args.repeat) for raw in raws]
            print(f"  {label:13} {summary(times)}")

        print("\nwhere the time goes, with form (mean per message)")
        raws = [path.read_bytes() for path in with_form]
        mails = [parse_mail(raw) for raw in raws]
        stages = {
            "parse_mail (mail-parser + text)": [
                timed(lambda raw=raw: parse_mail(raw), args.repeat) for raw in raws
            ],
            "read_form (python-docx/lxml)": [
                timed(
                    lambda mail=mail: [read_form(a.data, a.filename) for a in mail.attachments],
                    args.repeat,
                )
                for mail in mails
            ],
            "understand (incl. read_form)": [
                timed(lambda mail=mail: understand(mail), args.repeat) for mail in mails
            ],
        }
        understandings = [understand(mail) for mail in mails]
        stages["evaluate + report line"] = [
            timed(
                lambda mail=mail, u=u: report_line(
                    mail, u, evaluate(u, sender=mail.from_address, policy=policy)
                ),
                args.repeat,
            )
            for mail, u in zip(mails, understandings, strict=True)
        ]
        for name, times in stages.items():
            print(f"  {name:33} {statistics.fmean(times) * 1000:6.2f} ms")
        raws = [path.read_bytes() for path in without]
        mails = [parse_mail(raw) for raw in raws]
        print("where the time goes, without form")
        print(
            f"  {'parse_mail':33} "
            f"{statistics.fmean(timed(lambda r=r: parse_mail(r), args.repeat) for r in raws) * 1000:6.2f} ms"
        )
        print(
            f"  {'understand':33} "
            f"{statistics.fmean(timed(lambda m=m: understand(m), args.repeat) for m in mails) * 1000:6.2f} ms"
        )
    finally:
        if args.keep:
            print(f"\nkept {directory}")
        else:
            shutil.rmtree(directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

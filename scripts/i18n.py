"""Translation catalogue upkeep. Source strings are English; zh_Hans is the catalogue to complete.

  python scripts/i18n.py update            extract strings and merge them into the zh_Hans catalogue
  python scripts/i18n.py missing           print untranslated or fuzzy msgids as a JSON object to fill in
  python scripts/i18n.py fill FILE.json    merge {"msgid": "译文"} (plural msgids: {"msgid": ["译文"]})
  python scripts/i18n.py compile           compile .po to .mo (make does this)

Every command holds a lock, so several people (or agents) can update the catalogue at once.
"""
from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
CATALOGUES = {"zh_Hans": TRANSLATIONS / "zh_Hans" / "LC_MESSAGES" / "messages.po"}


@contextmanager
def locked():
    TRANSLATIONS.mkdir(exist_ok=True)
    with open(TRANSLATIONS / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pybabel(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)


def update() -> None:
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output", "-o", str(POT), ".")
    for locale, po in CATALOGUES.items():
        if po.exists():
            _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale, "--no-fuzzy-matching", "--ignore-obsolete")
        else:
            _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)


def _read(po: Path):
    with po.open("rb") as handle:
        return read_po(handle)


def missing(locale: str = "zh_Hans") -> dict:
    catalog = _read(CATALOGUES[locale])
    out = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out[key] = [""] if isinstance(message.id, tuple) else ""
    return out


def fill(path: Path, locale: str = "zh_Hans") -> int:
    wanted = json.loads(path.read_text(encoding="utf-8"))
    po = CATALOGUES[locale]
    catalog = _read(po)
    count = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in wanted and wanted[key]:
            value = wanted[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            count += 1
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)
    return count


def compile_all() -> None:
    for po in CATALOGUES.values():
        catalog = _read(po)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    with locked():
        if command == "update":
            update()
        elif command == "missing":
            print(json.dumps(missing(), ensure_ascii=False, indent=1))
        elif command == "fill" and len(argv) > 2:
            print(f"{fill(Path(argv[2]))} translations filled")
        elif command == "compile":
            compile_all()
        else:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Copy the front-end packages from node_modules into static/vendor/.

GOV.UK Frontend's stylesheet names the "GDS Transport" typeface, which is for
GOV.UK services only: we rewrite it to the system font stack and drop the
@font-face rules, so no GOV.UK font file is ever shipped or requested.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"
SYSTEM_FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'

COPIES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "govuk-frontend/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
}


def build_css(source: Path, target: Path) -> None:
    css = source.read_text(encoding="utf-8")
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = re.sub(r"font-family:GDS Transport,arial,sans-serif", f"font-family:{SYSTEM_FONTS}", css)
    css = re.sub(r"font-family:GDS Transport", f"font-family:{SYSTEM_FONTS}", css)
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    if "GDS Transport" in css:
        raise SystemExit("build_assets: GDS Transport is still named in the stylesheet")
    target.write_text(css, encoding="utf-8")


def main() -> int:
    if not MODULES.exists():
        print("build_assets: node_modules is missing; run 'npm ci' first", file=sys.stderr)
        return 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, name in COPIES.items():
        shutil.copyfile(MODULES / source, VENDOR / name)
    build_css(MODULES / "govuk-frontend/dist/govuk/govuk-frontend.min.css", VENDOR / "govuk-frontend.min.css")
    print(f"build_assets: wrote {len(COPIES) + 1} files to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

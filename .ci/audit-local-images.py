"""CI: the seed site built with [images] mode = "local" passes the audit with no <img> from elsewhere.

The images come from tests/images/server.py on 127.0.0.1 (the mirrors a user
would point at a saved copy of Zhihu's image hosts), so this runs without
the network.  Usage: .venv/bin/python .ci/audit-local-images.py AUDIT_SCRIPT
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.images.server import ImageServer  # noqa: E402
from zhsite.build import build  # noqa: E402


def main() -> None:
    audit = sys.argv[1]
    server = ImageServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            shutil.copytree(REPO / "content", project / "content")
            (project / "zhsite.toml").write_text((REPO / "zhsite.toml").read_text(encoding="utf-8") + "\n" + server.config(), encoding="utf-8")
            result = build(project)
            print(result.images.line() if result.images else "images: remote")
            report = subprocess.run([sys.executable, audit, str(result.output)], capture_output=True, text=True)
            print(report.stdout, end="")
            external = next(line for line in report.stdout.splitlines() if "external-resources" in line)
            passed, total = report.stdout.rstrip().splitlines()[-1].split()[1].split("/")  # "audit: 48/48 checks pass"
            if report.returncode != 0 or passed != total or "img=" in external:
                sys.exit("the audit of the local-images seed site failed, or it loads images from elsewhere")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

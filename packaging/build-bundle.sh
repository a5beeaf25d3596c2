#!/usr/bin/env bash
# Builds the one-folder application for people without Python: dist/article-editor/, whose
# program dist/article-editor/article-editor (article-editor.exe on Windows) runs anywhere
# the same operating system runs. Uses the project's .venv (made by .ci/run or the README),
# adding PyInstaller to it.
#
#   bash packaging/build-bundle.sh          # then: dist/article-editor/article-editor FILE.md
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet -e ".[bundle]"
.venv/bin/python -m PyInstaller packaging/article-editor.spec --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller
echo "Built dist/article-editor ($(du -sh dist/article-editor | cut -f1))"

"""The bundle's program: the same command as the installed ``article-editor``."""

import multiprocessing

# The worker processes (checks, analysis, library) start this program again: in the bundle,
# this hands such a start to multiprocessing instead of opening another window.
multiprocessing.freeze_support()

from editor.cli import main  # noqa: E402 - after the worker processes are told apart

raise SystemExit(main())

"""The bundle's program: the same command as the installed ``article-editor``."""

from editor.cli import main

raise SystemExit(main())

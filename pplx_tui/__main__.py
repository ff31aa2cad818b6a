"""Allow ``python -m pplx_tui``."""

from pplx_tui.cli import main

raise SystemExit(main())

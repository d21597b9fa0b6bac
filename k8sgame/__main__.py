"""Allow ``python -m k8sgame``."""

from k8sgame.cli import main

raise SystemExit(main())

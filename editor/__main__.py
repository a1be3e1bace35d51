"""`python -m editor` is the same as the `broadsheet` command."""

import sys

from editor.cli import main

sys.exit(main())

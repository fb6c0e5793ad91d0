"""python -m satmip.learn.instances FAMILY ... (satmip.learn.instances.cli)."""
import sys

from .cli import main

sys.exit(main())

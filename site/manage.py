#!/usr/bin/env python
"""Django's command-line utility for the yasp site."""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
# The site's packages live beside this file; the pipeline's `tasks` package one level up.
sys.path[:0] = [str(SITE_DIR), str(SITE_DIR.parent)]

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yasp_web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

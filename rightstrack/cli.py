"""The `rightstrack` command: every Django management command, under one name."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rightstrack", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

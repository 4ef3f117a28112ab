"""`rightstrack user create|list|token`: manage accounts from the command line.

The command line acts as the system (it has the database anyway), so no signed-in actor is
checked; the audit trail records these changes as made by "system".
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rightstrack.accounts import services, two_factor
from rightstrack.accounts.models import User
from rightstrack.accounts.selectors import USER_SORTS, filter_users
from rightstrack.core.commands import validation_error_text
from rightstrack.core.roles import Role


class Command(BaseCommand):
    help = "Create and list users and issue API tokens."
    # Lets tests hand the command a stdin for --password-stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        roles = ", ".join(Role.values)

        create = subcommands.add_parser("create", help="Create a user.")
        create.add_argument("username", metavar="NAME")
        create.add_argument("--role", required=True, help=f"One of: {roles}.")
        create.add_argument(
            "--agency", metavar="CODE", help="The agency code; required for focal_point."
        )
        create.add_argument("--email", metavar="E", default="")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input "
            "(otherwise the user has no usable password).",
        )
        create.add_argument(
            "--token", action="store_true", help="Also create an API token and print it once."
        )

        listing = subcommands.add_parser("list", help="List users.")
        listing.add_argument("--role", help=f"Only this role ({roles}).")
        listing.add_argument(
            "--sort",
            default="username",
            choices=[option.key for option in USER_SORTS],
            help="Sort order.",
        )

        token = subcommands.add_parser("token", help="Create an API token and print it once.")
        token.add_argument("username", metavar="NAME")
        token.add_argument("--name", default="", help="What the token is for.")

        reset = subcommands.add_parser(
            "reset-2fa", help="Remove a user's two-factor sign-in (e.g. after a lost phone)."
        )
        reset.add_argument("username", metavar="NAME")

    def handle(self, *args, **options):
        handlers = {
            "create": self.create,
            "list": self.list_users,
            "token": self.token,
            "reset-2fa": self.reset_two_factor,
        }
        try:
            handlers[options["subcommand"]](options)
        except ValidationError as error:
            raise CommandError(validation_error_text(error)) from error

    def create(self, options):
        password = None
        if options["password_stdin"]:
            password = (options.get("stdin") or sys.stdin).readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin was given but standard input had no password.")
        if options["role"] not in Role.values:
            raise CommandError(
                f"Unknown role {options['role']!r}. Choose one of: {', '.join(Role.values)}."
            )
        if options["role"] == Role.FOCAL_POINT and not options["agency"]:
            raise CommandError("A focal point needs --agency CODE (the code of their agency).")
        user = services.user_create(
            username=options["username"],
            role=options["role"],
            agency=options["agency"],
            email=options["email"],
            password=password,
        )
        agency = f", agency {user.agency.code} ({user.agency})" if user.agency else ""
        sign_in = (
            "with a password"
            if password
            else "no password (cannot sign in on the web; API tokens work)"
        )
        self.stdout.write(f"Created user {user.username}: role {user.role}{agency}, {sign_in}.")
        if options["token"]:
            self._print_token(user, name="created with the user")

    def list_users(self, options):
        if options["role"] and options["role"] not in Role.values:
            raise CommandError(
                f"Unknown role {options['role']!r}. Choose one of: {', '.join(Role.values)}."
            )
        users = filter_users(
            User.objects.select_related("agency"),
            {"role": options["role"], "sort": options["sort"]},
        )
        rows = [
            (
                user.username,
                user.role,
                user.agency.code if user.agency else "-",
                "active" if user.is_active else "deactivated",
                user.email or "-",
            )
            for user in users
        ]
        if not rows:
            self.stdout.write("No users.")
            return
        header = ("NAME", "ROLE", "AGENCY", "STATUS", "EMAIL")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )

    def token(self, options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        self._print_token(user, name=options["name"])

    def reset_two_factor(self, options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        if two_factor.turn_off(actor=None, user=user):
            self.stdout.write(f"Two-factor sign-in of {user.username} removed.")
        else:
            self.stdout.write(f"{user.username} had no two-factor sign-in.")

    def _print_token(self, user, *, name):
        token, raw = services.api_token_create(user=user, name=name)
        self.stderr.write(
            f"API token {token.prefix}… for {user.username}; it is shown only now, store it safely:"
        )
        self.stdout.write(f"token: {raw}")

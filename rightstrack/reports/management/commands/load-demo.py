"""`rightstrack load-demo`: the vocabularies, one demo account per role, the demo content.

Each step is one function calling the services, so later steps (imports of recommendations, …)
are added as further functions. Every step is idempotent: loading twice changes nothing.

It lives in reports, the top layer, because it loads the demo content of every app.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from rightstrack.accounts.models import User
from rightstrack.accounts.services import user_create
from rightstrack.activities.demo import load_demo_activities
from rightstrack.core.db_statistics import refresh_planner_statistics
from rightstrack.core.progress import progress_wanted
from rightstrack.core.roles import Role
from rightstrack.intelligence.demo import queue_demo_models
from rightstrack.plans.demo import load_demo_plans
from rightstrack.presences.demo_content import demo_presences_load
from rightstrack.progress.demo import load_demo_followup, load_demo_reports
from rightstrack.recommendations.demo import load_demo_recommendations
from rightstrack.taxonomy.models import Agency
from rightstrack.taxonomy.services import agency_create, vocabularies_load

DEFAULT_DEMO_PASSWORD = "rightstrack-demo"  # noqa: S105 - documented demo accounts, local only
DEMO_AGENCY = {
    "code": "mfa-by",
    "name_en": "Ministry of Foreign Affairs of the Republic of Belarus (demo)",
    "name_ru": "Министерство иностранных дел Республики Беларусь (демо)",
    "state": "BLR",
}
DEMO_USERS = (
    ("demo-admin", Role.ADMINISTRATOR),
    ("demo-coordinator", Role.COORDINATOR),
    ("demo-focal-point", Role.FOCAL_POINT),
    ("demo-civil-society", Role.CIVIL_SOCIETY),
    ("demo-viewer", Role.VIEWER),
)


class Command(BaseCommand):
    help = "Load the vocabularies, one demo account per role and the demo field presence."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")

    def handle(self, *args, **options):
        progress = progress_wanted(options)
        self.load_vocabularies(progress=progress)
        accounts = self.load_demo_accounts()
        self.load_demo_presences(actor=accounts["demo-admin"])
        load_demo_recommendations(stdout=self.stdout)
        load_demo_followup(stdout=self.stdout)
        load_demo_activities(actor=accounts["demo-admin"], stdout=self.stdout)
        plans = load_demo_plans(actor=accounts["demo-admin"], stdout=self.stdout)
        load_demo_reports(plans=plans, actor=accounts["demo-admin"])
        # Every table of the demo changed; the planner should know what they now hold.
        refresh_planner_statistics()
        # The indexes and tag models, built by the worker beside the web server.
        queue_demo_models(stdout=self.stdout)

    def load_vocabularies(self, *, progress):
        data_dir = settings.SHARED_DATA_DIR if settings.SHARED_DATA_DIR.is_dir() else None
        vocabularies_load(data_dir=data_dir, progress=progress, stdout=self.stdout)

    @transaction.atomic
    def load_demo_agency(self):
        agency = Agency.objects.filter(code=DEMO_AGENCY["code"]).first()
        if agency is None:
            agency = agency_create(actor=None, **DEMO_AGENCY)
        return agency

    @transaction.atomic
    def load_demo_accounts(self):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        agency = self.load_demo_agency()
        accounts = {}
        self.stdout.write("Demo accounts (one per role):")
        for username, role in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    role=role,
                    agency=agency if role == Role.FOCAL_POINT else None,
                    password=password,
                )
                state = "created"
            else:
                state = "already there; password unchanged"
            accounts[username] = user
            self.stdout.write(f"  {username:<20} {str(role.label):<26} {state}")
        self.stdout.write(f"  password: {password} (set DEMO_PASSWORD to choose another)")
        return accounts

    def load_demo_presences(self, *, actor):
        for loaded in demo_presences_load(actor=actor):
            self.stdout.write(
                f"Field presence {loaded.presence.slug}: {loaded.outcome} "
                f"(/presences/{loaded.presence.slug}/)"
            )

"""What `rightstrack load-demo` asks of the intelligence app: its features alive without any
command. Jobs are queued for the worker that `make run` starts: the indexes of similar
recommendations and search by meaning, and the UPR Info taggers trained on the shared UPR Info
export (then tag suggestions for every recommendation, and the indexes again with topics)."""

from django.utils.translation import gettext as _

from rightstrack.jobs.models import Job
from rightstrack.jobs.selectors import job_in_progress

from .jobs import (
    INDEX_JOBS,
    SOURCE_UPR_INFO,
    TRAIN_TAGGERS_JOB,
    UPR_INFO_SCHEMES,
    auto_index,
    start_index_build,
    start_training,
    upr_info_files,
)

# The action categories (one label a recommendation) train in about a quarter of the time of the
# issues (many labels each): 136 s against 579 s on this 2-core machine under load, so their
# suggestions come first.
DEMO_TRAINING_ORDER = sorted(UPR_INFO_SCHEMES, key=lambda name: name != "action-category")


def queue_demo_models(*, stdout) -> list[Job]:
    from .indexes import indexes_built
    from .tagging.store import default_model_path

    if not auto_index():
        return []
    queued = []
    if not indexes_built() and job_in_progress(kinds=INDEX_JOBS) is None:
        queued.append(start_index_build())
    untrained = [name for name in DEMO_TRAINING_ORDER if not default_model_path(name).exists()]
    if untrained and upr_info_files() and job_in_progress(kinds=(TRAIN_TAGGERS_JOB,)) is None:
        # A job per tagger, so that each one's suggestions come as soon as it is trained.
        queued += [
            start_training(user=None, schemes=[name], source=SOURCE_UPR_INFO) for name in untrained
        ]
    for job in queued:
        state = _("done") if job.is_finished else _("queued for the worker")
        stdout.write(f"{job.label}: {state} (/jobs/)")
    return queued

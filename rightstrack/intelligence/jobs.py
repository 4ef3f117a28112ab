"""The long work of the intelligence app, run as jobs (rightstrack.jobs):

- tag suggestions for an imported batch (or, after training, for every recommendation);
- building the similarity and search-by-meaning indexes, and keeping them current after
  imports with a segment of the new rows (index_builds.py), queued by themselves;
- training the taggers, started by a coordinator from the models page (or by load-demo).

While an index is being built its features say so (selectors.index_state) and search by
meaning falls back to the words.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.core.types import User
from rightstrack.jobs.models import Job, started_by
from rightstrack.jobs.registry import JobFailed, JobKind
from rightstrack.jobs.running import JobRun
from rightstrack.jobs.selectors import job_in_progress
from rightstrack.jobs.services import job_start
from rightstrack.recommendations.models import ImportBatch, Recommendation

from .tagging.schemes import SCHEMES

SUGGEST_TAGS_JOB = "intelligence.suggest_tags"
BUILD_INDEXES_JOB = "intelligence.build_indexes"
UPDATE_INDEXES_JOB = "intelligence.update_indexes"
TRAIN_TAGGERS_JOB = "intelligence.train_taggers"
INDEX_JOBS = (BUILD_INDEXES_JOB, UPDATE_INDEXES_JOB)

# The schemes UPR Info's own export labels (issues, action categories): trained from
# ../shared/data/upr-info when it is there, by the demo and from the models page.
UPR_INFO_SCHEMES = ("upr-info-issues", "action-category")
SOURCE_UPR_INFO = "upr-info"
SOURCE_DATABASE = "database"


def any_tagger_trained() -> bool:
    """Whether a model file exists for some scheme (loading it is the job's work)."""
    from .tagging.store import default_model_path  # imports scikit-learn

    return any(default_model_path(name).exists() for name in SCHEMES)


def start_suggestions(
    batch: ImportBatch | None,
    *,
    user: User | None,
    schemes: list[str] | None = None,
    first: bool = False,
) -> Job:
    """Suggest tags for the recommendations of ``batch``; None: for every recommendation, with
    the taggers of ``schemes`` (None: every trained one). ``first``: before the waiting jobs."""
    label = (
        _("Tag suggestions for %(file)s") % {"file": batch.file_name}
        if batch is not None
        else _("Tag suggestions for every recommendation")
    )
    return job_start(
        kind=SUGGEST_TAGS_JOB,
        once=True,
        user=user,
        subject_id=batch.pk if batch is not None else None,
        label=label,
        params={"schemes": schemes} if schemes else None,
        first=first,
    )


def run_suggestions(job: Job, run: JobRun) -> str:
    from .services import suggest_for_batch, suggest_tags  # numpy and scikit-learn

    try:
        if job.subject_id is None:
            from .services import load_taggers

            taggers = load_taggers(job.params.get("schemes") or None)
            runs = (
                suggest_tags(
                    recommendations=Recommendation.objects.all(),
                    actor=started_by(job),
                    taggers=taggers,
                    progress=run.report,
                )
                if taggers
                else []
            )
        else:
            batch = ImportBatch.objects.get(pk=job.subject_id)
            runs = suggest_for_batch(actor=started_by(job), batch=batch)
    except (ValidationError, PermissionDenied) as error:
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise JobFailed(_("No tags were suggested: %(reason)s") % {"reason": reason}) from None
    count = sum(suggestion_run.created for suggestion_run in runs)
    if job.subject_id is not None:
        run.report(count, count)
    if not runs:
        return ""
    return ngettext(
        "%(count)s tag suggestion was made for review (%(schemes)s).",
        "%(count)s tag suggestions were made for review (%(schemes)s).",
        count,
    ) % {"count": count, "schemes": ", ".join(suggestion_run.scheme for suggestion_run in runs)}


def auto_index() -> bool:
    """Whether the indexes are built and kept current by themselves (INTELLIGENCE_AUTO_BUILD)."""
    return bool(settings.INTELLIGENCE_AUTO_BUILD)


def start_index_build(*, user: User | None = None) -> Job:
    """Queue a build of both indexes (once: a build already waiting is the one returned)."""
    return job_start(
        kind=BUILD_INDEXES_JOB,
        once=True,
        user=user,
        label=_("Build the indexes of similar recommendations and search by meaning"),
    )


def start_index_update(*, user: User | None = None) -> Job:
    """Queue bringing the indexes up to date with new recommendations: a segment of the new
    rows, or a full build when there is no index yet or a build is already waiting."""
    from .indexes import indexes_built

    waiting_build = job_in_progress(kinds=(BUILD_INDEXES_JOB,))
    if waiting_build is not None and waiting_build.status == Job.Status.PENDING:
        return waiting_build
    if not indexes_built():
        return start_index_build(user=user)
    return job_start(
        kind=UPDATE_INDEXES_JOB,
        once=True,
        user=user,
        label=_("Add new recommendations to the indexes"),
    )


def run_index_build(job: Job, run: JobRun) -> str:
    from .index_builds import build_indexes

    results = build_indexes(progress=run.report)
    items = max((info.get("items", 0) for info in results.values()), default=0)
    _queue_update_if_changed_since(job)
    return ngettext(
        "%(count)s recommendation indexed: similar recommendations, proposed clusters and "
        "search by meaning are ready.",
        "%(count)s recommendations indexed: similar recommendations, proposed clusters and "
        "search by meaning are ready.",
        items,
    ) % {"count": items}


def _queue_update_if_changed_since(job: Job) -> None:
    """Recommendations written while the build read the others go to the segment next."""
    newest = Recommendation.objects.aggregate(changed=Max("updated_at"))["changed"]
    if newest is not None and job.started_at is not None and newest > job.started_at:
        start_index_update(user=started_by(job))


def run_index_update(job: Job, run: JobRun) -> str:
    from .index_builds import IndexNotBuilt, update_indexes

    try:
        update = update_indexes(progress=run.report)
    except IndexNotBuilt:
        return run_index_build(job, run)
    if update.rebuild:
        start_index_build(user=started_by(job))
        return _(
            "Many recommendations are new since the indexes were built: they are being built "
            "anew (a job of its own); until then they serve as they were."
        )
    count = max(update.rows.values(), default=0)
    return ngettext(
        "%(count)s new or changed recommendation added to the indexes.",
        "%(count)s new or changed recommendations added to the indexes.",
        count,
    ) % {"count": count}


def upr_info_files() -> list[str]:
    """The UPR Info export files of the shared data, [] when they are not on this machine."""
    folder = settings.SHARED_DATA_DIR / "upr-info"
    return sorted(str(path) for path in folder.glob("*.csv")) if folder.is_dir() else []


def start_training(
    *, user: User | None, schemes: list[str], source: str, suggest: bool = True
) -> Job:
    """Queue training the taggers of ``schemes`` from ``source`` (SOURCE_UPR_INFO: the shared
    UPR Info export; SOURCE_DATABASE: the tags accepted in the database), then (``suggest``)
    suggesting tags for every recommendation with them."""
    unknown = [name for name in schemes if name not in SCHEMES]
    if unknown or not schemes:
        raise ValidationError({"schemes": [_("Choose the vocabularies to train.")]})
    if source == SOURCE_UPR_INFO:
        if any(name not in UPR_INFO_SCHEMES for name in schemes):
            raise ValidationError(
                {"source": [_("UPR Info's data labels only its issues and action categories.")]}
            )
        if not upr_info_files():
            raise ValidationError(
                {"source": [_("The UPR Info data is not on this server; train from the database.")]}
            )
    elif source != SOURCE_DATABASE:
        raise ValidationError({"source": [_("Unknown training data.")]})
    names = ", ".join(str(SCHEMES[name].label) for name in schemes)
    return job_start(
        kind=TRAIN_TAGGERS_JOB,
        once=True,
        user=user,
        label=_("Train the taggers: %(schemes)s") % {"schemes": names},
        params={"schemes": schemes, "source": source, "suggest": suggest},
    )


def run_training(job: Job, run: JobRun) -> str:
    from .similarity import TOPIC_SCHEME
    from .tagging.data import DataError
    from .tagging.schemes import get_scheme
    from .tagging.training import train

    schemes = [name for name in job.params.get("schemes", []) if name in SCHEMES]
    paths = upr_info_files() if job.params.get("source") == SOURCE_UPR_INFO else None
    if job.params.get("source") == SOURCE_UPR_INFO and not paths:
        raise JobFailed(_("The UPR Info data is not on this server; train from the database."))
    steps = 100
    trained = []
    user = started_by(job)
    for position, name in enumerate(schemes):

        def progress(done, total, position=position):
            fraction = done / total if total else 0
            run.report(position * steps + int(fraction * steps), len(schemes) * steps)

        try:
            saved = train(get_scheme(name), paths=paths, progress=progress)
        except DataError as error:
            raise JobFailed(
                _("%(scheme)s could not be trained: %(reason)s")
                % {"scheme": SCHEMES[name].label, "reason": error}
            ) from None
        trained.append(f"{SCHEMES[name].label} ({saved.tagger.info.get('examples', 0)})")
        if job.params.get("suggest"):
            # Each tagger's suggestions as soon as it is trained, before any other training
            # waiting: people see the first vocabulary's suggestions while the next one learns.
            start_suggestions(None, user=user, schemes=[name], first=True)
    run.report(len(schemes) * steps, len(schemes) * steps)
    if TOPIC_SCHEME in schemes and auto_index():
        # The similarity index compares topics when the issues tagger is trained.
        start_index_build(user=user)
    return _("Trained: %(schemes)s.") % {"schemes": ", ".join(trained)}


def queue_missing_work() -> None:
    """What a starting worker queues: the indexes when recommendations exist but no index
    was built (and none is being built), so that every feature comes alive by itself."""
    from .indexes import indexes_built

    if not auto_index() or indexes_built() or job_in_progress(kinds=INDEX_JOBS) is not None:
        return
    if Recommendation.objects.exists():
        start_index_build()


SUGGEST_TAGS_JOB_KIND = JobKind(key=SUGGEST_TAGS_JOB, run=run_suggestions)
BUILD_INDEXES_JOB_KIND = JobKind(key=BUILD_INDEXES_JOB, run=run_index_build)
UPDATE_INDEXES_JOB_KIND = JobKind(key=UPDATE_INDEXES_JOB, run=run_index_update)
TRAIN_TAGGERS_JOB_KIND = JobKind(key=TRAIN_TAGGERS_JOB, run=run_training)
JOB_KINDS = (
    SUGGEST_TAGS_JOB_KIND,
    BUILD_INDEXES_JOB_KIND,
    UPDATE_INDEXES_JOB_KIND,
    TRAIN_TAGGERS_JOB_KIND,
)

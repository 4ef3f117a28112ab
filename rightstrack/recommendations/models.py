from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.model_fields import actor_field
from rightstrack.taxonomy.models import Scheme, Term, term_field, terms_field

if TYPE_CHECKING:
    from .search import MeaningMatch


class Position(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    SUPPORTED_IN_PART = "supported-in-part", _("Supported in part")
    NOTED = "noted", _("Noted")
    PENDING = "pending", _("Pending")
    UNKNOWN = "", _("Not stated")


class DocumentKind(models.TextChoices):
    UPR_WORKING_GROUP_REPORT = "upr-wg-report", _("UPR Working Group report")
    UPR_THEMATIC_LIST = "upr-thematic-list", _("UPR thematic list of recommendations")
    CONCLUDING_OBSERVATIONS = "concluding-observations", _("Concluding observations")
    SPECIAL_PROCEDURES_REPORT = "sp-report", _("Special Procedures report")
    DATABASE_EXPORT = "database-export", _("Database export")
    OTHER = "other", _("Other")


class Document(models.Model):
    """A source document: a UN report, a thematic list, or a database export with no symbol."""

    symbol = models.CharField(_("document symbol"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    mechanism = term_field(Scheme.MECHANISM, _("mechanism or body"))
    state = term_field(Scheme.STATE, _("state under review"))
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["symbol"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self):
        return self.symbol


class ImportBatch(models.Model):
    """One run of an importer over one file: what, by whom, and what came of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    format = models.CharField(_("format"), max_length=30)
    file_name = models.CharField(_("file name"), max_length=300)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    user = actor_field(_("imported by"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    options = models.JSONField(_("options"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("records in file"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("records processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # Records found to be a recommendation already held (from another source) and joined to it.
    matched = models.PositiveIntegerField(_("joined to a recommendation held"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"line": 12, "reason": "..."}]
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    # Doubtful values that did not stop a row: [{"line": 12, "reason": "..."}]
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.format}: {self.file_name}"

    def outcome(self) -> dict[str, Any]:
        """What the import came to, as the API and the import commands' JSON give it."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": self.errors,
            "warnings": self.warnings,
            "message": self.message,
        }


class ImportChange(models.Model):
    """What one step of an import applying in short transactions changed, written in the same
    transaction as the change, so that an import that fails or whose worker dies half way is
    undone step by step in reverse order (imports/ledger.py). A batch holds these only while it
    applies or is being undone: they are deleted when it succeeds, with its result."""

    class Kind(models.TextChoices):
        CREATED = "created", _("rows created")
        UPDATED = "updated", _("rows updated")
        RESTATED = "restated", _("recommendations restated")
        MERGED = "merged", _("recommendations merged")

    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import batch"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The model's label ("recommendations.SourceRecord").
    model = models.CharField(_("table"), max_length=100)
    # CREATED, MERGED: ids; UPDATED: [{"id": …, field: value before}]; RESTATED: a
    # recommendation's values before, with its recommending States and tag ids.
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        ordering = ["id"]
        verbose_name = _("change of an import")
        verbose_name_plural = _("changes of imports")

    def __str__(self):
        return f"{self.batch_id}: {self.kind} {self.model} ({len(self.rows)})"


def import_batch_field(
    verbose_name: Any, *, related_name: str = "+"
) -> "models.ForeignKey[Any, Any]":
    """The import batch a record came from or concerns; deleting the batch empties the reference
    and keeps the record."""
    return models.ForeignKey(
        ImportBatch,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class Recommendation(models.Model):
    """One recommendation (or observation) made to a State by a UN human rights mechanism."""

    # The natural key of its standing source (the one that stands by precedence, see
    # sources.py): "uhri:<AnnotationId>", "doc:A/HRC/15/16#98.16", ... Imports find what they
    # wrote before through SourceRecord.source_key, which holds the key of every source.
    source_key = models.CharField(_("source key"), max_length=300, unique=True)
    state = term_field(
        Scheme.STATE,
        _("state under review"),
        related_name="recommendations_received",
        required=True,
    )
    mechanism = term_field(
        Scheme.MECHANISM, _("mechanism or body"), related_name="recommendations", required=True
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("source document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    number = models.CharField(_("paragraph or number"), max_length=30, blank=True)
    annotation_type = models.CharField(_("type"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(_("UPR cycle"), null=True, blank=True)
    session = models.PositiveSmallIntegerField(_("UPR session"), null=True, blank=True)
    text = models.TextField(_("text"))
    # Several States' wordings grouped under one number: [{"text": "...", "states": ["BRA"]}].
    wordings = models.JSONField(_("wordings"), default=list, blank=True)
    recommending_states = terms_field(
        Scheme.STATE, _("recommending states"), related_name="recommendations_made"
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, blank=True, default=""
    )
    position_source = models.CharField(_("source of position"), max_length=200, blank=True)
    action_category = term_field(Scheme.ACTION_CATEGORY, _("action category"))
    is_published = models.BooleanField(_("published"), default=True)
    # Whether its source records give different definite positions or dates (sources.py); empty
    # (as False) until they do. Nullable so that adding it does not rebuild the table on SQLite
    # (which would drop the table's triggers and take long at 250,000 rows).
    sources_disagree = models.BooleanField(_("sources disagree"), null=True, blank=True)
    import_batch = import_batch_field(_("last import"), related_name="recommendations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "-date", "number", "id"]
        indexes = [
            models.Index(fields=["state", "mechanism"]),
            models.Index(fields=["state", "cycle"]),
            models.Index(fields=["session"]),
            # The matching of imports (dedup.py) reads a State's recommendations of a session.
            models.Index(fields=["state", "session"]),
            models.Index(fields=["position"]),
            models.Index(fields=["-date"]),
        ]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    if TYPE_CHECKING:
        # Set (never stored) on the results of a search by meaning: how each was found.
        meaning_match: MeaningMatch | None

    def __str__(self):
        label = f"{self.document.symbol} {self.number}" if self.document_id else self.number
        return f"{label} {self.text[:80]}".strip()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("recommendations:detail", kwargs={"pk": self.pk})


class SourceKind(models.TextChoices):
    """What kind of source a source record comes from, in order of precedence: when sources
    disagree, the UN document's value stands over a thematic list's, and that over a third
    party's database (see ``sources.py``)."""

    UN_DOCUMENT = "un-document", _("UN document")
    THEMATIC_LIST = "thematic-list", _("OHCHR thematic list")
    DATABASE_EXPORT = "database-export", _("Database (UPR Info, UHRI)")


#: Rank of each kind; lower stands over higher.
SOURCE_PRECEDENCE = {
    SourceKind.UN_DOCUMENT: 0,
    SourceKind.THEMATIC_LIST: 1,
    SourceKind.DATABASE_EXPORT: 2,
}


def _unindexed_term(verbose_name: Any) -> "models.ForeignKey[Any, Any]":
    return models.ForeignKey(
        Term,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )


class SourceRecord(models.Model):
    """One recommendation as one source gives it (a Working Group report's entry, a thematic
    list's row, a UPR Info row, a UHRI record), kept exactly as the source said it. A
    recommendation has one or more; its own values are the standing ones, worked out from them.
    Imports find what they wrote before by ``source_key``."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="sources",
    )
    source_key = models.CharField(_("source key"), max_length=300, unique=True)
    kind = models.CharField(
        _("kind of source"),
        max_length=20,
        choices=SourceKind.choices,
        default=SourceKind.DATABASE_EXPORT,
    )
    # No indexes on the terms and the document: nothing looks source records up by them, and
    # each index less makes imports faster.
    state = _unindexed_term(_("state under review"))
    mechanism = _unindexed_term(_("mechanism or body"))
    document = models.ForeignKey(
        Document,
        verbose_name=_("source document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_records",
        db_index=False,
    )
    number = models.CharField(_("paragraph or number"), max_length=30, blank=True)
    annotation_type = models.CharField(_("type"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(_("UPR cycle"), null=True, blank=True)
    session = models.PositiveSmallIntegerField(_("UPR session"), null=True, blank=True)
    text = models.TextField(_("text"))
    wordings = models.JSONField(_("wordings"), default=list, blank=True)
    # Term ids, as the source names them.
    recommending_states = models.JSONField(_("recommending states"), default=list, blank=True)
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, blank=True, default=""
    )
    position_source = models.CharField(_("source of position"), max_length=200, blank=True)
    action_category = _unindexed_term(_("action category"))
    # Term ids of the tags the source gives.
    tags = models.JSONField(_("tags"), default=list, blank=True)
    import_batch = import_batch_field(_("import"), related_name="source_records")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recommendation", "id"]
        verbose_name = _("source record")
        verbose_name_plural = _("source records")

    def __str__(self):
        return self.source_key

    @property
    def precedence(self) -> int:
        return SOURCE_PRECEDENCE.get(SourceKind(self.kind), len(SOURCE_PRECEDENCE))


class MatchCandidate(models.Model):
    """A doubtful match found on import: the source record was given a recommendation of its
    own, and may be the same recommendation as ``candidate``. A coordinator decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting review")
        MERGED = "merged", _("Merged")
        SEPARATE = "separate", _("Kept separate")

    source = models.ForeignKey(
        SourceRecord,
        verbose_name=_("source record"),
        on_delete=models.CASCADE,
        related_name="match_candidates",
    )
    candidate = models.ForeignKey(
        Recommendation,
        verbose_name=_("possibly the same as"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("similarity"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    decided_by = actor_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "candidate"], name="match_candidate_unique")
        ]
        indexes = [models.Index(fields=["status", "-score"])]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self):
        return f"{self.source} ~ {self.candidate_id} ({self.score:.2f})"


class RecommendationMerge(models.Model):
    """One recommendation merged into another, with what moved, so that it can be undone: the
    merged recommendation's own values (``snapshot``), its source records, and the rows of
    other tables that pointed at it (``moved``)."""

    # No database constraint: the record outlives its target being merged in turn, and undoing
    # that later merge brings the target back under the same id.
    target = models.ForeignKey(
        Recommendation,
        verbose_name=_("merged into"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="merges",
    )
    merged_id = models.PositiveIntegerField(_("merged recommendation id"))
    merged_label = models.CharField(_("merged recommendation"), max_length=300)
    snapshot = models.JSONField(_("merged recommendation's values"), default=dict)
    sources = models.JSONField(_("source records moved"), default=list)
    moved = models.JSONField(_("links moved"), default=dict)
    automatic = models.BooleanField(_("made by an import"), default=False)
    made_by = actor_field(_("merged by"))
    made_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = actor_field(_("undone by"))
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("merge of recommendations")
        verbose_name_plural = _("merges of recommendations")

    def __str__(self):
        return f"{self.merged_label} → {self.target_id}"


class ImplementationStatus(models.TextChoices):
    """How far a recommendation is implemented, from the measures of action plans that address
    it; the plans app works it out (plans/statuses.py, registered in extensions.py)."""

    NOT_ADDRESSED = "not-addressed", _("Not addressed by a measure")
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially-implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not-implemented", _("Not implemented")


class TagSource(models.TextChoices):
    IMPORTED = "imported", _("Imported with the source")
    HUMAN = "human", _("Added by a person")
    MACHINE = "machine", _("Machine suggestion")


class TagStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    SUGGESTED = "suggested", _("Awaiting review")
    REJECTED = "rejected", _("Rejected")


class RecommendationTag(models.Model):
    """A term attached to a recommendation, with where it came from and who accepted it."""

    # No single-column indexes: the unique (recommendation, term) constraint and the (term,
    # status) index serve those look-ups, and each index less makes bulk imports faster.
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="tags", db_index=False
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="recommendation_tags", db_index=False
    )
    source = models.CharField(_("source"), max_length=20, choices=TagSource.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=TagStatus.choices, default=TagStatus.ACCEPTED
    )
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    decided_by = actor_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "term"], name="tag_unique_term")
        ]
        indexes = [
            models.Index(fields=["term", "status"]),
            # Covers the facets of a filtered list: from the recommendations matched to the
            # status and term of their tags, without reading the tag rows themselves.
            models.Index(
                fields=["recommendation", "status", "term"], name="tag_recommendation_status_term"
            ),
            # The machine's suggestions awaiting a person: counted on every staff page (the
            # work waiting) and listed on the review page, a few thousand rows among a million
            # tags. Partial, so imports of accepted tags do not write to it; source and status
            # are in it too, so that a query passing them as parameters (which SQLite cannot
            # match to the index's condition) reads no tag row (200 -> 70 ms at 250,000).
            models.Index(
                fields=["recommendation", "confidence", "source", "status"],
                condition=models.Q(source="machine", status="suggested"),
                name="tag_machine_suggestion",
            ),
        ]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return f"{self.term} ({self.get_source_display()})"


class Cluster(models.Model):
    """Recommendations a plan addresses together, grouped by a coordinator."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    state = term_field(Scheme.STATE, _("state"))
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations"), blank=True, related_name="clusters"
    )
    created_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("recommendations:cluster", kwargs={"slug": self.slug})


class DataVersion(models.Model):
    """One row whose number grows with every write to what the list counts: recommendations,
    their tags and recommending States, and terms (an SDG target's goal).

    Database triggers (migration 0009) raise it, so no write path (an import, an edit, a bulk
    update, a raw SQL fix) can forget to; counts kept for the current number are current.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.version)


class KeptCounts(models.Model):
    """Counts of the list (its length and its facets) computed once for a data version and
    kept until the data change: see counts.py."""

    key = models.CharField(_("key"), max_length=400, primary_key=True)
    version = models.BigIntegerField(_("data version"))
    counts = models.JSONField(_("counts"))

    class Meta:
        verbose_name = _("kept counts")
        verbose_name_plural = _("kept counts")

    def __str__(self):
        return self.key


class AskedSearch(models.Model):
    """A search by words readers asked lately, noted by each web process at most once per
    ``counts.ASKED_NOTE_SECONDS``: the count job prepares the most asked of them ahead of their
    first reader after a change (prepared_searches.py)."""

    # A digest of the kind of reader and the query (which may be longer than a key may be).
    key = models.CharField(_("key"), max_length=64, primary_key=True)
    everything_visible = models.BooleanField(_("asked by an internal reader"))
    # The list's query string as searched: words, filters, order, and exact=1 when asked.
    query = models.TextField(_("query"))
    times = models.PositiveIntegerField(_("times noted"), default=1)
    asked_at = models.DateTimeField(_("last asked at"), db_index=True)

    class Meta:
        verbose_name = _("asked search")
        verbose_name_plural = _("asked searches")

    def __str__(self):
        return self.query


class SavedSearch(models.Model):
    """A recommendation list a user saved (its filters and words, as the list's query string);
    they are told when new recommendations match it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=200)
    # The list's query string, normalised (parse_filters().query_pairs()), without the page.
    query = models.CharField(_("search"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Recommendations added after this are new to the search (the last check).
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_per_user")
        ]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        url = reverse("recommendations:list")
        return f"{url}?{self.query}" if self.query else url

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

NAME_MAX_LENGTH = 200


class Project(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="project_name_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("project_detail", kwargs={"project_id": self.pk})


class RequirementsVersion(models.Model):
    """One saved state of a project's requirements. Immutable: a change is a new version."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.JSONField(help_text="The requirements document, format advisor/v1.")
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint("project", "number", name="version_number_unique_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "version_detail", kwargs={"project_id": self.project_id, "number": self.number}
        )


class Design(models.Model):
    """The design generated from one requirements version: recommendation, schemas, lint."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="designs")
    version = models.ForeignKey(
        RequirementsVersion, on_delete=models.CASCADE, related_name="designs"
    )
    number = models.PositiveIntegerField()
    advisor_version = models.CharField(max_length=40)
    recommendation = models.JSONField()
    details = models.JSONField(
        default=dict, help_text="Per dialect: tables, indexes, how each pattern is served, lint."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint("project", "number", name="design_number_unique_per_project"),
            # A version is designed once per engine version, however often its task runs.
            models.UniqueConstraint(
                "version", "advisor_version", name="design_once_per_version_and_engine"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} design {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "design_detail", kwargs={"project_id": self.project_id, "design": self.number}
        )

    @property
    def primary_name(self) -> str:
        return str(self.recommendation.get("primary", {}).get("name", ""))


class DesignFile(models.Model):
    """One file of a design, by its path in the design folder (`schema/mysql.sql`)."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    content = models.TextField()
    highlighted = models.TextField(blank=True, help_text="The content as highlighted HTML.")

    class Meta:
        ordering = ["design", "id"]
        constraints = [
            models.UniqueConstraint("design", "path", name="design_file_path_unique"),
        ]

    def __str__(self) -> str:
        return self.path


class Decision(models.Model):
    """An Architecture Decision Record. Accepted records are never edited: a change is a new
    record that supersedes (or amends) the old one."""

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        DEPRECATED = "deprecated"
        SUPERSEDED = "superseded"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField()
    key = models.CharField(
        max_length=100, blank=True, help_text="The question decided; empty for hand-written ones."
    )
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    outcome = models.CharField(max_length=1000, blank=True)
    content = models.JSONField(default=dict, help_text="The record's sections (MADR 4).")
    design = models.ForeignKey(
        Design, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    version = models.ForeignKey(
        RequirementsVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="superseded_by"
    )
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="amended_by"
    )
    retired_by = models.ForeignKey(
        Design,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The design that no longer made this decision, when it was deprecated so.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_on = models.DateField(help_text="The date in the record.")
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint("project", "number", name="decision_number_unique_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.number:04d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "decision_detail", kwargs={"project_id": self.project_id, "decision": self.number}
        )

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.PROPOSED


# What a list of records does not read of the rows it joins: documents, recommendations and
# records' sections run to megabytes of JSON in a large project.
RECORD_NEIGHBOURS_BULK = (
    "design__recommendation",
    "design__details",
    "version__document",
    "supersedes__content",
    "amends__content",
)


class RenderedDiagram(models.Model):
    """A diagram Graphviz drew, kept by the hash of what it drew, so it is never drawn twice."""

    key = models.CharField(max_length=64, unique=True, help_text="sha256 of format, engine, DOT.")
    format = models.CharField(max_length=10)
    content = models.BinaryField()
    seconds = models.FloatField(help_text="How long Graphviz took.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.format} {self.key[:12]}"


class Job(models.Model):
    """A piece of background work for a project, run by Celery, whose progress a page polls.

    A running job's worker beats its `heartbeat_at`; a job whose heartbeat went stale or whose
    `deadline_at` passed is failed when next read (`designs.jobs.job_settle`, docs/jobs.md).
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=50)
    version = models.ForeignKey(
        RequirementsVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    design = models.ForeignKey(
        Design, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    key = models.CharField(
        max_length=100,
        blank=True,
        help_text="What the job makes (a drawing's hash, a version's design): one at a time.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(
        max_length=100, blank=True, help_text="The stage under way (or where the job ended)."
    )
    stage_number = models.PositiveSmallIntegerField(default=0, help_text="1 for the first stage.")
    stage_count = models.PositiveSmallIntegerField(
        default=0, help_text="How many stages the job has; 0 for a job without stages."
    )
    message = models.TextField(blank=True)
    output = models.BinaryField(null=True, blank=True, editable=False)
    output_name = models.CharField(max_length=255, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker running the job."
    )
    deadline_at = models.DateTimeField(
        null=True, blank=True, help_text="When a running job must have ended (its time limit)."
    )
    worker = models.CharField(max_length=255, blank=True, help_text="host:pid running the job.")
    finished_at = models.DateTimeField(null=True, blank=True)

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "key"], name="job_project_key")]
        constraints = [
            # A failed or finished job never blocks a new one with the same key.
            models.UniqueConstraint(
                "project",
                "key",
                condition=models.Q(status__in=["queued", "running"]) & ~models.Q(key=""),
                name="one_active_job_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("job_detail", kwargs={"project_id": self.project_id, "job_id": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def stage_text(self) -> str:
        """“Stage 3 of 7: SQL schemas”, or nothing for a job without stages."""
        if not self.stage_count:
            return ""
        return f"Stage {self.stage_number} of {self.stage_count}: {self.stage}"


class ApiToken(models.Model):
    """A person's token for the JSON API (docs/api.md). The secret is shown once, when the token
    is made; only its sha256 is kept, under a short public prefix that finds the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “CI”.")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, help_text="sha256 of the whole token, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

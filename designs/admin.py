from __future__ import annotations

from django.contrib import admin

from designs.models import (
    ApiToken,
    Decision,
    Design,
    DesignFile,
    Job,
    Project,
    RenderedDiagram,
    RequirementsVersion,
)


class RequirementsVersionInline(admin.TabularInline):
    model = RequirementsVersion
    fields = ["number", "note", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at", "updated_at"]
    list_filter = ["created_at"]
    search_fields = ["name", "description", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [RequirementsVersionInline]


@admin.register(RequirementsVersion)
class RequirementsVersionAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "created_by", "created_at"]
    search_fields = ["project__name"]
    list_select_related = ["project", "created_by"]
    readonly_fields = ["project", "number", "document", "created_by", "created_at"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "kind", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["project"]
    readonly_fields = [
        "project",
        "kind",
        "key",
        "status",
        "progress",
        "stage",
        "stage_number",
        "stage_count",
        "message",
        "output_name",
        "output_type",
        "created_by",
        "created_at",
        "started_at",
        "heartbeat_at",
        "deadline_at",
        "worker",
        "finished_at",
    ]


class DesignFileInline(admin.TabularInline):
    model = DesignFile
    fields = ["path", "media_type"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Design)
class DesignAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "version", "advisor_version", "created_at"]
    list_select_related = ["project", "version"]
    search_fields = ["project__name"]
    readonly_fields = [
        "project",
        "version",
        "number",
        "advisor_version",
        "recommendation",
        "details",
        "created_by",
        "created_at",
    ]
    inlines = [DesignFileInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "title", "status", "decided_on"]
    list_filter = ["status"]
    list_select_related = ["project"]
    search_fields = ["project__name", "title"]
    readonly_fields = [
        "project",
        "number",
        "key",
        "outcome",
        "content",
        "design",
        "version",
        "supersedes",
        "amends",
        "retired_by",
        "created_by",
        "created_at",
    ]


@admin.register(RenderedDiagram)
class RenderedDiagramAdmin(admin.ModelAdmin):
    list_display = ["key", "format", "seconds", "created_at"]
    readonly_fields = ["key", "format", "seconds", "created_at"]
    exclude = ["content"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and revoked here; their secret was never kept."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]

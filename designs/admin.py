from __future__ import annotations

from django.contrib import admin

from designs.models import Job, Project, RequirementsVersion


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
        "status",
        "progress",
        "message",
        "output_name",
        "output_type",
        "created_by",
        "created_at",
        "finished_at",
    ]

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from designs.views import accounts, bench, decisions, designs, migrations, requirements, schemas
from designs.views import projects as views
from designs.views.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/tokens/", accounts.token_list, name="token_list"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        accounts.token_revoke,
        name="token_revoke",
    ),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/example/", views.project_example, name="project_example"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/delete/", views.project_delete, name="project_delete"),
    path("projects/<int:project_id>/export/", views.project_export, name="project_export"),
    path(
        "projects/<int:project_id>/versions/<int:number>/",
        views.version_detail,
        name="version_detail",
    ),
    path(
        "projects/<int:project_id>/versions/<int:number>/download/",
        views.version_download,
        name="version_download",
    ),
    path(
        "projects/<int:project_id>/requirements/",
        requirements.requirements_edit,
        name="requirements_edit",
    ),
    path(
        "projects/<int:project_id>/requirements/preview/",
        requirements.requirements_preview,
        name="requirements_preview",
    ),
    path(
        "projects/<int:project_id>/requirements/row/",
        requirements.requirements_row,
        name="requirements_row",
    ),
    path(
        "projects/<int:project_id>/requirements/yaml/",
        requirements.requirements_yaml,
        name="requirements_yaml",
    ),
    path(
        "projects/<int:project_id>/requirements/yaml/preview/",
        requirements.requirements_yaml_preview,
        name="requirements_yaml_preview",
    ),
    path(
        "projects/<int:project_id>/requirements/import/",
        requirements.requirements_import,
        name="requirements_import",
    ),
    path(
        "projects/<int:project_id>/requirements/import-schema/",
        schemas.schema_import,
        name="schema_import",
    ),
    path("format/", requirements.requirements_format, name="requirements_format"),
    path(
        "format/requirements.schema.json",
        requirements.requirements_schema_download,
        name="requirements_schema",
    ),
    path(
        "projects/<int:project_id>/versions/<int:number>/design/",
        designs.design_generate,
        name="design_generate",
    ),
    path(
        "projects/<int:project_id>/designs/<int:design>/",
        designs.design_detail,
        name="design_detail",
    ),
    path(
        "projects/<int:project_id>/designs/<int:design>/architecture/",
        designs.design_architecture,
        name="design_architecture",
    ),
    path(
        "projects/<int:project_id>/designs/<int:design>/diagram/",
        designs.design_diagram,
        name="design_diagram",
    ),
    path(
        "projects/<int:project_id>/designs/<int:design>/diagram.<str:format>",
        designs.design_diagram_file,
        name="design_diagram_file",
    ),
    path(
        "projects/<int:project_id>/designs/<int:design>/files/<path:path>",
        designs.design_file,
        name="design_file",
    ),
    path(
        "projects/<int:project_id>/designs/<int:design>/design.zip",
        designs.design_zip,
        name="design_zip",
    ),
    path(
        "projects/<int:project_id>/migrations/",
        migrations.migration_detail,
        name="migration_detail",
    ),
    path(
        "projects/<int:project_id>/migrations/download/",
        migrations.migration_download,
        name="migration_download",
    ),
    path("projects/<int:project_id>/decisions/", decisions.decision_list, name="decision_list"),
    path(
        "projects/<int:project_id>/decisions/new/",
        decisions.decision_create,
        name="decision_create",
    ),
    path("projects/<int:project_id>/decisions.zip", decisions.decision_zip, name="decision_zip"),
    path(
        "projects/<int:project_id>/decisions/<int:decision>/",
        decisions.decision_detail,
        name="decision_detail",
    ),
    path(
        "projects/<int:project_id>/decisions/<int:decision>/edit/",
        decisions.decision_edit,
        name="decision_edit",
    ),
    path(
        "projects/<int:project_id>/decisions/<int:decision>/status/",
        decisions.decision_status,
        name="decision_status",
    ),
    path(
        "projects/<int:project_id>/decisions/<int:decision>/download/",
        decisions.decision_download,
        name="decision_download",
    ),
    path("projects/<int:project_id>/jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path(
        "projects/<int:project_id>/jobs/<int:job_id>/status/",
        views.job_status,
        name="job_status",
    ),
    path(
        "projects/<int:project_id>/jobs/<int:job_id>/retry/",
        views.job_retry,
        name="job_retry",
    ),
    path(
        "projects/<int:project_id>/jobs/<int:job_id>/download/",
        views.job_download,
        name="job_download",
    ),
]

if settings.ADVISOR_BENCH:
    urlpatterns.append(path("bench/bare/", bench.bare, name="bench_bare"))

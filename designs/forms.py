from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import AbstractBaseUser

from advisor.errors import AdvisorError
from advisor.importing.dialect import DIALECTS
from advisor.importing.source import check_size, schema_text
from advisor.importing.sql import MAX_BYTES
from advisor.requirements.fields import MAX_DOCUMENT_BYTES
from designs.models import Project


class SignUpForm(UserCreationForm):
    pass


class ProjectForm(forms.ModelForm):
    """Name and description of a project; the name must be new among the owner's projects."""

    class Meta:
        model = Project
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"name": "Unique among your projects."}

    def __init__(self, *args: Any, owner: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        taken = Project.objects.filter(owner=self.owner, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(name_taken_message(name), code="duplicate")
        return name

    def validate_unique(self) -> None:
        # The owner is not a form field, so the model's per-owner check runs in clean_name.
        pass


def name_taken_message(name: str) -> str:
    return f"You already have a project named “{name}”. Choose another name."


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “GitHub Actions” or “laptop”."
    )


MAX_IMPORT_BYTES = MAX_DOCUMENT_BYTES


class ImportForm(forms.Form):
    """A requirements document to import: a file, or text pasted in."""

    file = forms.FileField(
        required=False,
        help_text=f"A .yaml, .yml or .json file, up to {MAX_IMPORT_BYTES // 2**20} MB.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="Or paste the document here.",
    )
    note = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None and not cleaned.get("text", "").strip():
            raise forms.ValidationError("Choose a file or paste a document.")
        if upload is not None:
            if upload.size > MAX_IMPORT_BYTES:
                raise forms.ValidationError(
                    f"“{upload.name}” is {upload.size:,} bytes; the limit is {MAX_IMPORT_BYTES:,}."
                )
            raw = upload.read()
            try:
                cleaned["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    f"“{upload.name}” is not UTF-8 text (byte {error.start} is not valid UTF-8)."
                ) from None
            cleaned["source"] = upload.name
        else:
            cleaned["source"] = "pasted text"
        return cleaned

    def text_and_source(self) -> tuple[str, str]:
        return self.cleaned_data["text"], self.cleaned_data["source"]


DIALECT_LABELS = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL / MariaDB",
    "sqlite": "SQLite",
    "sqlserver": "SQL Server",
    "oracle": "Oracle",
    "dbml": "DBML",
}
INTROSPECTION_OFF = (
    "Reading a live database is turned off on this server: it would connect wherever a user "
    "asks. Upload or paste the schema instead (pg_dump --schema-only), or ask the "
    "administrator to set ADVISOR_ALLOW_DB_INTROSPECTION."
)


class SchemaImportForm(forms.Form):
    """A schema to import: a SQL or DBML file, text pasted in, or (only where the server
    allows it) the URL of a live PostgreSQL database. Exactly one of them."""

    file = forms.FileField(
        required=False,
        label="Schema file",
        help_text=f"A .sql or .dbml file, up to {MAX_BYTES // 1024 // 1024} MB.",
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label="Or the schema's text",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="Or paste the SQL or DBML here (up to 2.5 MB; upload a larger file).",
    )
    dialect = forms.ChoiceField(
        choices=[("auto", "Detect it"), *((name, DIALECT_LABELS[name]) for name in DIALECTS)],
        initial="auto",
        required=False,
        help_text="Of the file or the text; detected from the marks each dialect leaves.",
    )
    dsn = forms.CharField(
        required=False,
        label="Or a live PostgreSQL database",
        help_text="postgresql://user:password@host:5432/dbname — read in a read-only "
        "transaction; give a role that may only read. The password is not stored.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, allow_dsn: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_dsn = allow_dsn
        if not allow_dsn:
            del self.fields["dsn"]

    def clean_dialect(self) -> str:
        return str(self.cleaned_data.get("dialect") or "auto")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.allow_dsn and self.data.get("dsn", "").strip():
            raise forms.ValidationError(INTROSPECTION_OFF, code="introspection_off")
        upload = cleaned.get("file")
        given = [upload is not None, bool(cleaned.get("text", "").strip())]
        given.append(bool(cleaned.get("dsn", "").strip()))
        if sum(given) != 1:
            one_of = "a file, pasted text or a database URL" if self.allow_dsn else "a file or text"
            raise forms.ValidationError(f"Give one schema to import: {one_of}.")
        if upload is not None:
            try:
                check_size(upload.size, location=f"“{upload.name}”")
                cleaned["text"] = schema_text(upload.read(), location=f"“{upload.name}”")
            except AdvisorError as error:
                raise forms.ValidationError(str(error)) from None
            cleaned["source"] = upload.name
        elif given[1]:
            cleaned["source"] = "pasted text"
        return cleaned


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class DecisionForm(forms.Form):
    """A decision record written by a person, in the sections of MADR 4."""

    title = forms.CharField(max_length=300, help_text="The decision, e.g. “Keep audit logs in S3”.")
    context = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Context and problem statement"
    )
    drivers = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One per line."
    )
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Considered options",
        help_text="One per line: the option, then after a colon its trade-off.",
    )
    outcome = forms.CharField(max_length=1000, label="Chosen option")
    justification = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why; one reason per line.",
    )
    good = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Good consequences"
    )
    bad = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Bad consequences"
    )
    confirmation = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="How to check in production that the decision holds.",
    )
    more_information = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="More information"
    )

    LISTS = ("drivers", "justification", "good", "bad", "confirmation", "more_information")

    def content(self) -> dict[str, Any]:
        """The record's sections, in the shape the engine's `Decision` has."""
        data = self.cleaned_data
        options = []
        for line in _lines(data["options"]):
            name, _, summary = line.partition(":")
            options.append({"name": name.strip(), "score": None, "summary": summary.strip()})
        return {
            "key": "",
            "title": data["title"],
            "outcome": data["outcome"],
            "context": data["context"],
            "options": options,
            "inputs": [],
            **{name: _lines(data[name]) for name in self.LISTS},
        }

    @classmethod
    def initial_from(cls, content: dict[str, Any]) -> dict[str, str]:
        initial = {name: "\n".join(content.get(name) or []) for name in cls.LISTS}
        initial["options"] = "\n".join(
            f"{option['name']}: {option.get('summary', '')}".rstrip(": ")
            for option in content.get("options") or []
        )
        for name in ("title", "context", "outcome"):
            initial[name] = content.get(name) or ""
        return initial

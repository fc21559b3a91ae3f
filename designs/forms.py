from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import AbstractBaseUser

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


MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    """A requirements document to import: a file, or text pasted in."""

    file = forms.FileField(required=False, help_text="A .yaml, .yml or .json file, up to 2 MB.")
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

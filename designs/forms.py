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

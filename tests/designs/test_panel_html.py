"""The panel's lists written in Python (designs/panel_html.py) are the HTML its template loops
wrote before: the loops are kept here as the reference, and both render the recommendations of
the example, of a large generated model, and of names that need escaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.template import Context, Engine

from advisor.erd import synthetic_requirements
from advisor.requirements import parse_requirements
from designs import panel_html
from designs.services import recommendation_for

ENGINE = Engine(libraries={"editor": "designs.templatetags.editor"})
ALTERNATIVES = ENGINE.from_string(
    """{% load editor %}{% for alternative in r.alternatives %}
      <li title="{% for t in alternative.technologies|slice:':3' %}{{ t.name }} {{ t.score }}{% if not forloop.last %}, {% endif %}{% endfor %}">
        <span class="label">{{ alternative.category|words }}</span>
        <span class="bar"><span style="width: {{ alternative.bar }}%"></span></span>
        <span class="score">{{ alternative.score }}</span>
        <span class="best muted">{{ alternative.technologies.0.name }}{% if alternative.feasible == False %} · ruled out: {{ alternative.technologies.0.disqualified }}{% endif %}</span>
      </li>
    {% endfor %}"""  # noqa: E501
)
REASONS = ENGINE.from_string(
    """{% for reason in r.trace %}
      <li><span class="muted">{{ reason.rule }}</span> {{ reason.sentence }}
        {% if reason.links %}<span class="inputs">{% for input in reason.links %}<a href="{{ inputs_url }}#f-{{ input.field }}" class="input-link">{{ input.path }}</a>{% endfor %}{% if reason.links_more %} <span class="muted">and {{ reason.links_more }} more</span>{% endif %}</span>{% endif %}</li>
    {% endfor %}"""  # noqa: E501
)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "online-shop.yaml"


def escaping() -> dict[str, Any]:
    """A recommendation whose every shown text needs escaping, with a store ruled out."""
    risky = '<b>"R&D"</b>'
    return {
        "alternatives": [
            {
                "category": f"key_value{risky}",
                "bar": 42,
                "score": 61.5,
                "feasible": False,
                "technologies": [
                    {"name": risky, "score": 61.5, "disqualified": risky},
                    {"name": "b", "score": 60},
                    {"name": "c", "score": 0.0},
                    {"name": "d", "score": 1},
                ],
            },
            {"category": "graph", "bar": 5, "score": 3, "feasible": True, "technologies": []},
        ],
        "trace": [
            {"rule": risky, "sentence": risky, "links": [], "links_more": 0},
            {
                "rule": "r",
                "sentence": "s",
                "links": [{"path": risky, "field": risky}],
                "links_more": 3,
            },
        ],
    }


def recommendations() -> list[Any]:
    example = parse_requirements(yaml.safe_load(EXAMPLE.read_text()))
    return [
        pytest.param(recommendation_for(example), id="example"),
        pytest.param(recommendation_for(synthetic_requirements(300)), id="300-tables"),
        pytest.param(escaping(), id="escaping"),
    ]


@pytest.mark.parametrize("recommendation", recommendations())
@pytest.mark.parametrize("inputs_url", ["", "/projects/3/requirements/?from=2&x=<y>"])
def test_the_lists_are_the_html_the_template_loops_wrote(
    recommendation: dict[str, Any], inputs_url: str
) -> None:
    context = Context({"r": recommendation, "inputs_url": inputs_url})
    assert panel_html.alternatives_html(recommendation["alternatives"]) == ALTERNATIVES.render(
        context
    )
    assert panel_html.reasons_html(recommendation["trace"], inputs_url) == REASONS.render(context)


def test_a_panel_without_an_editor_address_links_to_the_inputs_on_its_own_page() -> None:
    context = Context({"r": escaping()})  # the live panel's context names no inputs_url
    assert panel_html.reasons_html(escaping()["trace"], "") == REASONS.render(context)

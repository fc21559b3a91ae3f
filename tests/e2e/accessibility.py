"""Checks a page the way a person with a screen reader, a keyboard or a phone meets it:
axe-core's WCAG 2 A/AA rules (vendored under vendor/, never served by the app), horizontal
overflow, and focus that shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
WCAG_A_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
BLOCKING = ("serious", "critical")

_RUN_AXE = """tags => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then(results => results.violations)"""


def axe_violations(page: Page, tags: tuple[str, ...] = WCAG_A_AA) -> list[dict[str, Any]]:
    """axe-core's violations of `tags` on the page as it is now. The script is added to the
    page, so the tab must bypass the Content-Security-Policy (the `page` fixture does)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN_AXE, list(tags))  # type: ignore[no-any-return]


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [violation for violation in violations if violation["impact"] in BLOCKING]


def describe(screen: str, violations: list[dict[str, Any]]) -> str:
    """One line per element: the screen, the rule, its impact, the element and what to fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(
                " > ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(
                f"{screen}: {violation['id']} ({violation['impact']}) {violation['help']}"
                f" at {target}: {summary}"
            )
    return "\n".join(lines)


# Ids an aria-describedby, aria-labelledby or aria-controls names that no element has: a screen
# reader then reads nothing for them (axe-core lets these pass when one of the ids exists).
_DANGLING = """() => {
  const found = [];
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (document.getElementById(id)) continue;
        const name = `${element.tagName.toLowerCase()}[name=${element.name || ""}]`;
        found.push(`${name} ${attribute} "${id}"`);
      }
    }
  }
  return found;
}"""


def dangling_references(page: Page) -> list[str]:
    return page.evaluate(_DANGLING)  # type: ignore[no-any-return]


# The elements reaching past the right edge of the window, outermost first, leaving out those
# inside a box that scrolls or clips them (a table or code in its own scroll box is fine).
_OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = element => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const own = element => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + [...element.classList].map(c => "." + c).join("");
  // An element without an id is named with its ancestors, up to one that has an id.
  const name = element => {
    const parts = [own(element)];
    for (let up = element.parentElement; up && up !== document.body && !element.id
         && parts.length < 4; up = up.parentElement) {
      parts.unshift(own(up));
      if (up.id) break;
    }
    return parts.join(" > ");
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || clipped(element)) continue;
    if (found.some(outer => outer.contains(element))) continue;
    found.push(element);
  }
  const edge = element => Math.round(element.getBoundingClientRect().right);
  return found.slice(0, 8).map(element => `${name(element)} (right edge ${edge(element)}px)`);
}"""


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")  # type: ignore[no-any-return]


def overflowing(page: Page) -> list[str]:
    """The elements that make the page wider than its window, named by tag, id and classes."""
    return page.evaluate(_OVERFLOWING)  # type: ignore[no-any-return]


# How the element with focus is drawn: its outline and box shadow, then the same without focus.
_FOCUS_LOOK = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const look = () => {
    const style = getComputedStyle(element);
    const outline = style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0
      ? "none" : `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    return {outline, shadow: style.boxShadow};
  };
  const text = element.innerText || element.value || element.getAttribute("aria-label") || "";
  const name = element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + [...element.classList].map(c => "." + c).join("")
    + ` "${text.trim().slice(0, 30)}"`;
  const focused = look();
  element.blur();
  const unfocused = look();
  element.focus({focusVisible: true});
  return {name, focused, unfocused};
}"""


def unfocused_looking(page: Page, presses: int) -> list[str]:
    """Tab through the first `presses` focusable links, buttons and fields: those whose outline
    and box shadow look the same focused as unfocused, by name."""
    invisible = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        look = page.evaluate(_FOCUS_LOOK)
        if look is None:
            break
        if look["focused"] == look["unfocused"]:
            invisible.append(f"{look['name']}: {look['focused']}")
    return invisible


def header_offset(page: Page) -> float:
    """How far, in px, the site header's content starts from the page's content on the left:
    a header narrower or wider than the page below it reads as two pages."""
    return float(
        page.evaluate(
            """() => {
                const left = (selector) => {
                    const element = document.querySelector(selector);
                    const style = getComputedStyle(element);
                    return element.getBoundingClientRect().left + parseFloat(style.paddingLeft);
                };
                return Math.abs(left("header.site nav") - left("main"));
            }"""
        )
    )

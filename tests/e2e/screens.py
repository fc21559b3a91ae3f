"""Every screen of the app, in one list: the accessibility and phone tests visit each, and
`make screenshots` photographs the ones marked for the README. Add a screen here and both
tests cover it."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

USERNAME = "demo"
PASSWORD = "demo-password-for-tests"


@dataclass(frozen=True)
class Screen:
    name: str
    path: str  # formatted with the demo site's ids: {project}, {decision}, {job}
    signed_in: bool = True
    screenshot: bool = False  # one of the main screens, shown in the README


SCREENS = (
    Screen("home", "/", signed_in=False),
    Screen("login", "/accounts/login/", signed_in=False),
    Screen("signup", "/accounts/signup/", signed_in=False),
    Screen("not found", "/projects/999999/", signed_in=False),
    Screen("requirements format", "/format/", signed_in=False),
    Screen("project list", "/projects/"),
    Screen("new project", "/projects/new/"),
    Screen("project detail", "/projects/{project}/"),
    Screen("requirements editor", "/projects/{project}/requirements/", screenshot=True),
    Screen("requirements import", "/projects/{project}/requirements/import/"),
    Screen("import schema", "/projects/{project}/requirements/import-schema/", screenshot=True),
    Screen("version", "/projects/{project}/versions/2/"),
    Screen("design", "/projects/{project}/designs/2/", screenshot=True),
    Screen("architecture document", "/projects/{project}/designs/2/architecture/"),
    Screen("diagram", "/projects/{project}/designs/2/diagram/", screenshot=True),
    Screen("records", "/projects/{project}/decisions/", screenshot=True),
    Screen("record", "/projects/{project}/decisions/{decision}/", screenshot=True),
    Screen("new record", "/projects/{project}/decisions/new/"),
    Screen("migrations", "/projects/{project}/migrations/", screenshot=True),
    Screen("job", "/projects/{project}/jobs/{job}/"),
    Screen("API tokens", "/accounts/tokens/"),
    Screen("password change", "/accounts/password/"),
    Screen("password changed", "/accounts/password/done/"),
)


@dataclass(frozen=True)
class DemoSite:
    """The ids the screens' paths name, in a database holding the demo project."""

    project: int
    decision: int  # a record that supersedes another: its page shows what changed
    job: int

    def url(self, screen: Screen) -> str:
        return screen.path.format(project=self.project, decision=self.decision, job=self.job)


def demo_site() -> DemoSite:
    """The demo user and project (two versions, two designs, their records), and a finished
    design job, so that every screen has something to show."""
    from designs.demo import demo_setup
    from designs.models import Job, Project

    demo_setup(username=USERNAME, password=PASSWORD)
    project = Project.objects.get(owner__username=USERNAME)
    record = project.decisions.filter(supersedes__isnull=False).order_by("number").first()
    assert record is not None, "the demo's second design supersedes some of the first's records"
    design = project.designs.order_by("-number").first()
    assert design is not None
    job = Job.objects.create(
        project=project,
        kind="design",
        version=design.version,
        design=design,
        status=Job.Status.SUCCEEDED,
        progress=100,
        message=f"Design {design.number} is ready.",
        created_by=project.owner,
    )
    return DemoSite(project=project.pk, decision=record.number, job=job.pk)


def sign_in(page: Page, username: str = USERNAME, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/")

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from designs import services
from designs.models import ApiToken
from tests.designs.conftest import PASSWORD


def test_a_new_person_signs_up_and_lands_on_their_projects(client: Client, db: None) -> None:
    response = client.post(
        reverse("signup"),
        {"username": "dora", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("project_list")
    assert "Signed in as </span><strong>dora</strong>" in response.content.decode()
    assert User.objects.filter(username="dora").exists()


def test_sign_up_with_a_taken_name_or_mismatched_passwords_explains(
    client: Client, alice: User
) -> None:
    response = client.post(
        reverse("signup"), {"username": "alice", "password1": PASSWORD, "password2": "other"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A user with that username already exists." in page
    assert "The two password fields didn’t match." in page


def test_log_in_with_a_wrong_password_says_so(client: Client, alice: User) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_log_in_and_out(client: Client, alice: User) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("project_list")
    assert client.get(reverse("project_list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("project_list")).status_code == 302


def test_password_change(alice_client: Client, alice: User) -> None:
    new = "another long passphrase 42"
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_password_change_with_a_wrong_old_password_explains(alice_client: Client) -> None:
    new = "another long passphrase 42"
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert "Your old password was entered incorrectly." in response.content.decode()


def test_staff_can_use_the_admin(client: Client, alice_project) -> None:
    User.objects.create_superuser("root", password=PASSWORD)
    client.login(username="root", password=PASSWORD)
    for url in [
        "/admin/",
        "/admin/designs/project/",
        f"/admin/designs/project/{alice_project.pk}/change/",
        "/admin/designs/requirementsversion/",
        "/admin/designs/job/",
        "/admin/designs/design/",
        "/admin/designs/decision/",
        "/admin/designs/rendereddiagram/",
        "/admin/designs/apitoken/",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_admin_refuses_non_staff(alice_client: Client) -> None:
    response = alice_client.get("/admin/designs/project/")
    assert response.status_code == 302


def test_an_api_token_is_shown_once_kept_hashed_and_revoked_on_the_account_page(
    alice_client: Client, alice: User
) -> None:
    page = alice_client.post(reverse("token_list"), {"name": "GitHub Actions"})
    secret = page.context["secret"]
    assert secret.startswith("dda_") and secret in page.content.decode()
    assert secret not in alice_client.get(reverse("token_list")).content.decode()
    token = ApiToken.objects.get(user=alice)
    assert token.name == "GitHub Actions"
    assert secret not in (token.prefix, token.digest)
    assert services.api_token_user(secret) == alice

    alice_client.post(reverse("token_revoke", args=[token.pk]))
    assert services.api_token_user(secret) is None
    assert "revoked" in alice_client.get(reverse("token_list")).content.decode()


def test_sign_in_is_paused_after_five_wrong_passwords_even_for_the_right_one(
    db: None, settings
) -> None:
    """Issue 12: 50 wrong passwords in 20 s, then success; now the fifth failure locks."""
    from django.contrib.auth import get_user_model

    settings.AXES_ENABLED = True
    get_user_model().objects.create_user("bob", password="right-password-1")
    client = Client()
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "bob", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post(url, {"username": "bob", "password": "right-password-1"})
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    other = Client().post(url, {"username": "alice-not-here", "password": "x"})
    assert other.status_code == 200  # another account is not locked


def test_pages_carry_a_content_security_policy_without_inline_scripts(db: None) -> None:
    response = Client().get(reverse("login"))
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["frame-ancestors"] == "'none'"

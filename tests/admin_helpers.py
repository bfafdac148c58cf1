"""Drive the real admin forms as a person would."""

from django.test import Client

PASSWORD = "pw-for-tests-only"


def login(user) -> Client:
    """A client signed in through the admin's login form, as a person would."""
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": PASSWORD},
    )
    assert response.status_code == 302, "login refused"
    return client


def variant_form_data(client: Client, variant_id: int, **changes) -> dict:
    """The variant change form's current values, with ``changes`` applied."""
    response = client.get(f"/admin/briefs/variant/{variant_id}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is None:
            value = ""
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    data.update(changes)
    return data

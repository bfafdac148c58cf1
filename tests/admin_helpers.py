"""Drive the real admin forms as a person would."""

from django.test import Client

PASSWORD = "pw-for-tests-only"


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
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

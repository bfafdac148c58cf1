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
    # The inlines' management forms (revisions and history, read-only) and
    # the ids of their rows, as the browser sends them.
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for form in formset.forms:
            if form.instance.pk is not None:
                data[f"{form.prefix}-id"] = form.instance.pk
    data.update(changes)
    return data


# The variant page's read-only inlines: a crafted POST must carry their
# management forms like any admin page with inlines.
INLINE_PREFIXES = ("revisions", "events")


def empty_inline_management(prefixes=INLINE_PREFIXES) -> dict:
    """Management forms of inlines that send no row."""
    data = {}
    for prefix in prefixes:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "0",
            }
        )
    return data

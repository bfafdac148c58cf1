"""Every URL of the site and of the admin, with hostile path and query values,
as every role: never a 5xx, and a hostile request changes no row.

Nothing is listed by hand. The URLs come from the URL resolver (the admin's
per-model URLs included), the query parameters from what our code reads
(``request.GET.get("…")``), our forms' fields, the admin's own parameters and
every list filter's, so a new URL, parameter or filter is swept as soon as it
exists. Only a new *path* parameter needs a valid value in ``VALID`` (and a
page that needs some query values before reading others, in ``VALID_QUERY``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views import main as changelist
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils import translation

import briefs
import newsroom
from briefs.admin import forms as brief_forms
from briefs.editorial import calendar
from briefs.editorial import preview_links as preview
from briefs.models import Variant
from tests.factories import make_user

HOSTILE = (
    "²",  # "²".isdigit() is true, int("²") fails
    "①",
    "١٢",  # int("١٢") is 12
    "9" * 30,  # fits no integer column
    "-1",
    "0",
    " ",
    "x" * 3000,
    "\x00",
    "../",
    "'\"<",
)
ROLES = ("anonymous", "editor", "reviewer", "superuser")
STAFF = ROLES[1:]
METHODS = ("TRACE", "PUT", "DELETE", "PATCH", "OPTIONS")


# -- The URLs, from the resolver ---------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str  # "admin/briefs/variant/{object_id}/change/"
    name: str | None
    params: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("admin/")

    @property
    def is_changelist(self) -> bool:
        return (self.name or "").endswith("_changelist")


def _template(pattern) -> str:
    """A pattern's route with each parameter written ``{name}``."""
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$")
        text = re.sub(r"\(\?P<(\w+)>[^()]*\)", r"{\1}", text)
        leftover = set(text) & set("^$()[]*+?\\|")
        assert not leftover, f"add a way to fill the regex {pattern.regex.pattern!r}"
        return text
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        template = prefix + _template(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, template)
        else:
            yield template, entry.name


def all_routes() -> list[Route]:
    """Every URL pattern of the site, under each language prefix."""
    found: dict[str, Route] = {}
    for lang in ("fr", "en"):
        with translation.override(lang):
            for template, name in _walk(get_resolver().url_patterns):
                params = tuple(re.findall(r"\{(\w+)\}", template))
                found.setdefault(template, Route(template, name, params))
    return list(found.values())


@pytest.fixture(autouse=True)
def _sweep_settings(settings):
    """Thousands of 403s and 404s are expected here: only errors are logged.

    Each refused id leaves a message no page shows before the next request;
    kept in the session they would pile up and slow every request down, so
    they go to the cookie, which keeps the latest only.
    """
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


# -- Valid values for path parameters, from one shared data set --------------


@pytest.fixture
def site(demo):
    """The published demo brief and what its URLs need."""
    variant = Variant.objects.select_related("latest_revision").order_by("pk")[0]
    revision = variant.latest_revision
    link = preview.make_link(revision=revision, user=demo["chef"])
    users = {role: _user(role) for role in ROLES}
    return SimpleNamespace(
        variant=variant,
        revision=revision,
        token=link.rstrip("/").rsplit("/", 1)[-1],
        topic=variant.brief.topics.order_by("slug")[0].slug,
        content_type=ContentType.objects.get_for_model(Variant).pk,
        users=users,
        # Made here: the sweep's reads of the address must write nothing.
        calendar_key=calendar.calendar_key(users["superuser"]),
    )


def _user(role: str):
    if role == "anonymous":
        return None
    if role == "superuser":
        return make_user(None, is_superuser=True)
    return make_user(role)


_ADMIN_MODEL = re.compile(r"admin/(?P<app>\w+)/(?P<model>\w+)/")


def _object_id(template: str, site) -> str:
    """The id of an existing object of the model an admin URL is about."""
    match = _ADMIN_MODEL.match(template)
    try:
        model = apps.get_model(match["app"], match["model"])
    except (LookupError, TypeError):  # /admin/r/<content type>/<id>/
        return str(site.variant.pk)
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first else "1"


VALID = {
    "object_id": _object_id,
    "id": _object_id,  # the user's password page
    "content_type_id": lambda template, site: str(site.content_type),
    "number": lambda template, site: str(site.revision.number),
    "token": lambda template, site: site.token,
    "audience": lambda template, site: site.variant.audience.code,
    "slug": lambda template, site: site.variant.brief.slug,
    "topic": lambda template, site: site.topic,
    "app_label": lambda template, site: "briefs",
    "url": lambda template, site: "nowhere/",
    "pk": lambda template, site: "1",  # an authenticator device (django-otp)
    "path": lambda template, site: "uploads/none.png",  # media, with DEBUG on
    "section": lambda template, site: "briefs",  # a sitemap's section
    "key": lambda template, site: site.calendar_key,  # a calendar address's
}


def url(route: Route, site, **hostile: str) -> str:
    """``route`` filled with valid values, except the ``hostile`` ones."""
    path = route.template
    for name in route.params:
        assert name in VALID, f"give the path parameter {name!r} a value in VALID"
        value = quote(hostile[name], safe="/") if name in hostile else None
        path = path.replace(f"{{{name}}}", value or VALID[name](route.template, site))
    return "/" + path


# -- The query parameters, from the code and the admin -----------------------

_READ = re.compile(
    r"""\b(?:GET|POST)(?:\.(?:get|getlist|pop)\(|\[)\s*["']([^"']+)["']"""
)


def params_read_by_our_code() -> set[str]:
    """Every parameter name our views read from request.GET or request.POST."""
    names = set()
    for package in (briefs, newsroom):
        for path in Path(package.__file__).parent.rglob("*.py"):
            names.update(_READ.findall(path.read_text(encoding="utf-8")))
    return names


def form_fields() -> set[str]:
    """The fields of our forms (posted to the admin's pages)."""
    return {
        name
        for value in vars(brief_forms).values()
        if isinstance(value, type) and issubclass(value, forms.BaseForm)
        for name in value.base_fields
    }


ADMIN_PARAMS = {
    changelist.PAGE_VAR,
    changelist.ORDER_VAR,
    changelist.SEARCH_VAR,
    changelist.ERROR_FLAG,
    changelist.ALL_VAR,
    changelist.IS_POPUP_VAR,
    changelist.IS_FACETS_VAR,
    "_changelist_filters",
    REDIRECT_FIELD_NAME,
    # The autocomplete view's.
    "term",
    "app_label",
    "model_name",
    "field_name",
}
# Query values a page needs before it reads the others (each is also sent
# hostile, alone).
VALID_QUERY = {
    "autocomplete": {
        "app_label": "briefs",
        "model_name": "brief",
        "field_name": "topics",
    }
}
# A model admin's page refuses a bad one first (a 400), before reading the
# others: there it is sent alone.
ALONE_ON_MODEL_PAGES = {changelist.TO_FIELD_VAR}


def query_params() -> set[str]:
    return (
        params_read_by_our_code() | form_fields() | ADMIN_PARAMS | ALONE_ON_MODEL_PAGES
    )


def model_admin(route: Route):
    """The model admin of an admin URL, or None."""
    match = _ADMIN_MODEL.match(route.template)
    if match is None:
        return None
    try:
        model = apps.get_model(match["app"], match["model"])
    except LookupError:
        return None
    return admin.site._registry.get(model)


def filter_params(route: Route, superuser) -> set[str]:
    """The parameters of a changelist's filters, and the lookups next to them."""
    request = RequestFactory().get("/")
    request.user = superuser
    cl = model_admin(route).get_changelist_instance(request)
    names = set()
    for spec in cl.filter_specs:
        names.update(spec.expected_parameters())
        field = getattr(spec, "field", None)
        if field is not None and (field.is_relation or isinstance(field, IntegerField)):
            # The admin takes other lookups on a filtered field, and each
            # reaches an integer column its own way: ?author=, ?author__lt=,
            # ?audience__in=, ?audience__id__in=.
            path = spec.field_path
            names.update({path, f"{path}__lt", f"{path}__in"})
            if field.is_relation:
                names.add(f"{path}__id__in")
    return names


# -- Requests ----------------------------------------------------------------


def values_for(role: str) -> tuple[str, ...]:
    """The hostile values ``role`` sends.

    The superuser, who reaches every view, and anonymous visitors send them
    all. Editors and reviewers differ from the superuser by their permissions,
    not by how a value is parsed: they share the values, one in two each, so
    that the sweep keeps to its time.
    """
    if role == "editor":
        return HOSTILE[0::2]
    if role == "reviewer":
        return HOSTILE[1::2]
    return HOSTILE


def client_for(site, role: str) -> Client:
    """A client showing a 500 as a response, signed in as ``role``."""
    client = Client(raise_request_exception=False)
    if site.users[role] is not None:
        client.force_login(site.users[role])
    return client


def send(client: Client, site, role: str, route: Route, method: str, path: str, data):
    """One request; the client signed in again if it was a logout."""
    if method == "GET":
        response = client.get(path, data)
    elif method == "POST":
        response = client.post(path, data)
    else:
        response = client.generic(method, path)
    if route.name == "logout" and site.users[role] is not None:
        client.force_login(site.users[role])
    return response


# Admin pages that show something and do nothing else with a POST.
ADMIN_READ_ONLY = {
    "index",
    "app_list",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "password_change_done",
    "calendar",
    "calendar_feed",
}
# Its POST, whatever it carries, gives the user a new calendar key: that is
# what it is for (tests/test_calendar_feed.py).
ADMIN_CHANGES_WITHOUT_INPUT = {"calendar_new_key"}


def takes_post(client: Client, route: Route, site) -> bool:
    """Whether the view of ``route`` does something with a POST."""
    name = route.name or ""
    if route.is_admin:
        # Unnamed: the redirect to a change page, the catch-all 404.
        return (
            bool(name)
            and name not in ADMIN_READ_ONLY | ADMIN_CHANGES_WITHOUT_INPUT
            and "_history" not in name
        )
    return client.post(url(route, site)).status_code != 405


# Tables a read may write (none since pages live in the cache).
NOT_CONTENT: set[str] = set()


def content_rows() -> dict[str, list[tuple]]:
    """Every row of the briefs models, to tell whether a request changed any."""
    # In one language: translated fields are read in the active one.
    with translation.override("fr"):
        return {
            model._meta.label: list(model._default_manager.order_by("pk").values_list())
            for model in apps.get_app_config("briefs").get_models()
            if model._meta.label not in NOT_CONTENT
        }


def _short(path: str, data) -> str:
    text = path + ("?" + urlencode(data, doseq=True) if data else "")
    return text if len(text) < 160 else text[:157] + "..."


def alone_share(role: str, names: set[str]) -> list[tuple[str, str]]:
    """The (parameter, hostile value) pairs ``role`` sends one at a time.

    Each pair is sent once, by one of the staff roles in turn, so that each
    role sends every parameter with some values and every value with some
    parameters; anonymous visitors are sent to the login page before any.
    """
    if role not in STAFF:
        return []
    return [
        (name, value)
        for i, name in enumerate(sorted(names))
        for j, value in enumerate(HOSTILE)
        if STAFF[(i + j) % len(STAFF)] == role
    ]


# -- The sweeps ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_hostile_path_parameters_never_answer_5xx(site, role):
    """Each path parameter of each URL, one at a time, by GET and POST."""
    client, failures = client_for(site, role), []
    before = content_rows()
    for route in all_routes():
        methods = ("GET", "POST") if takes_post(client, route, site) else ("GET",)
        for name in route.params:
            for value in values_for(role):
                path = url(route, site, **{name: value})
                for method in methods:
                    response = send(client, site, role, route, method, path, {})
                    if response.status_code >= 500:
                        failures.append(
                            (method, _short(path, {}), response.status_code)
                        )
    assert failures == []
    assert content_rows() == before


@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_parameters_never_answer_5xx(site, role):
    """Every parameter the site and the admin read, on every URL, by GET."""
    client, failures = client_for(site, role), []
    shared = query_params()
    superuser = site.users["superuser"]
    for route in all_routes():
        path = url(route, site)
        alone = set()
        if model_admin(route) is not None:
            alone |= ALONE_ON_MODEL_PAGES
        if route.is_changelist:
            # A bad filter value sends back to ?e=1 before paging or ordering
            # is read: each is tried alone.
            alone |= filter_params(route, superuser)
        base = VALID_QUERY.get(route.name, {})
        alone |= set(base)
        tries = [
            {**dict.fromkeys(shared - alone, value), **base}
            for value in values_for(role)
        ]
        tries += [{**base, name: value} for name, value in alone_share(role, alone)]
        for data in tries:
            response = send(client, site, role, route, "GET", path, data)
            if response.status_code >= 500:
                failures.append((_short(path, data), response.status_code))
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_hostile_posts_change_nothing(site, role):
    """Every URL posted hostile values; every admin action on hostile rows."""
    client, failures = client_for(site, role), []
    shared = query_params()
    before = content_rows()
    for route in all_routes():
        # Any POST to a delete page confirms the deletion of a real object:
        # the path sweep posts to those with hostile ids instead.
        if (route.name or "").endswith("_delete") or not takes_post(
            client, route, site
        ):
            continue
        path = url(route, site)
        actions = ["delete_selected"]
        if route.is_changelist and site.users[role] is not None:
            request = RequestFactory().get("/")
            request.user = site.users[role]
            actions += list(model_admin(route).get_actions(request))
        for value in values_for(role):
            tries = [dict.fromkeys(shared, value)]
            if route.is_changelist:
                tries += [
                    {
                        "action": action,
                        "index": "0",
                        helpers.ACTION_CHECKBOX_NAME: value,
                        "post": "yes",
                    }
                    for action in dict.fromkeys(actions)
                ]
            for data in tries:
                response = send(client, site, role, route, "POST", path, data)
                if response.status_code >= 500:
                    failures.append((_short(path, data), response.status_code))
        if content_rows() != before:
            failures.append((path, "changed rows"))
            before = content_rows()
    assert failures == []


@pytest.mark.parametrize("role", ["anonymous", "superuser"])
def test_other_methods_are_refused_on_public_urls(site, role):
    """TRACE, PUT, DELETE, PATCH never succeed on a public page; nothing is a 5xx."""
    client, failures = client_for(site, role), []
    for route in all_routes():
        if route.is_admin:
            continue
        path = url(route, site)
        for method in METHODS:
            status = send(client, site, role, route, method, path, None).status_code
            refused = method == "OPTIONS" or not 200 <= status < 300
            if status >= 500 or not refused:
                failures.append((method, path, status))
    assert failures == []


@pytest.mark.parametrize(
    "name", ["healthz", "robots", "sitemap", "feed", "atom", "preview"]
)
def test_function_views_serve_get_and_head_only(site, name):
    """Feeds, preview, sitemap, robots and health answer 405 to anything else."""
    route = next(r for r in all_routes() if r.name == name)
    client, path = Client(), url(route, site)
    assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200
    for method in ("TRACE", "PUT", "DELETE", "PATCH", "POST"):
        response = client.generic(method, path)
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"


def test_the_sweep_sees_every_kind_of_url(site):
    """The walk reaches public pages, the admin's per-model URLs and our own."""
    names = {route.name for route in all_routes()}
    assert {
        "detail",
        "feed",
        "preview",
        "sitemap",
        "healthz",
        "briefs_variant_change",
        "briefs_variant_diff",
        "briefs_variant_preview",
        "auth_user_password_change",
        "admin_quality_report",
    } <= names
    params = query_params()
    assert {"page", "q", "aud", "revision", "lang", "loaded_edit_count"} <= params
    variants = next(r for r in all_routes() if r.name == "briefs_variant_changelist")
    assert {"audience__id__exact", "state__exact", "review", "relecture"} <= (
        filter_params(variants, site.users["superuser"])
    )

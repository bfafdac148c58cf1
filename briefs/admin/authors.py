"""A source's authors edited as rows (family name, given names, a body's
name), with "et al." as one checkbox; stored as the same JSON list:
``[{"family": …, "given": …}, {"literal": …}, {"others": true}]``."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

# Rows offered empty below the authors, for a page used without JavaScript.
EMPTY_ROWS = 3
# More rows than any reference has: a crafted form cannot make the server loop.
MAX_ROWS = 500
MAX_NAME_CHARS = 200
ROW_KEY = re.compile(
    r"^(?P<name>.+)-(?P<index>[0-9]{1,4})-(?P<part>family|given|literal)$"
)


def _rows(value) -> tuple[list[dict], bool]:
    """The stored list as rows, and whether it ends with "et al."."""
    rows, others = [], False
    for author in value if isinstance(value, list) else []:
        if not isinstance(author, Mapping):
            continue
        if author.get("others"):
            others = True
        elif author.get("literal"):
            rows.append({"family": author["literal"], "given": "", "literal": True})
        else:
            rows.append(
                {
                    "family": author.get("family", ""),
                    "given": author.get("given", ""),
                    "literal": False,
                }
            )
    return rows, others


class AuthorsWidget(forms.Widget):
    """One row per author, a few empty ones, an "add" button for scripts."""

    template_name = "admin/briefs/source/authors_widget.html"

    class Media:
        js = ("admin/js/author_rows.js",)

    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(value, dict) and "rows" in value:  # typed, shown again
            rows, others = value["rows"], value["others"]
        else:
            rows, others = _rows(value)
        empty = {"family": "", "given": "", "literal": False}
        rows = [*rows, *([empty] * EMPTY_ROWS)]
        return render_to_string(
            self.template_name,
            {
                "name": name,
                "id": (attrs or {}).get("id") or f"id_{name}",
                "rows": list(enumerate(rows)),
                "others": others,
            },
        )

    def value_from_datadict(self, data, files, name):
        found = {}
        for key in data:
            match = ROW_KEY.match(key)
            if match and match["name"] == name:
                found.setdefault(int(match["index"]), {})[match["part"]] = data.get(key)
        rows = []
        for index in sorted(found)[: MAX_ROWS + 1]:
            parts = found[index]
            rows.append(
                {
                    "family": (parts.get("family") or "").strip(),
                    "given": (parts.get("given") or "").strip(),
                    "literal": bool(parts.get("literal")),
                }
            )
        return {"rows": rows, "others": bool(data.get(f"{name}-others"))}

    def value_omitted_from_data(self, data, files, name):
        return False


class AuthorsField(forms.Field):
    """The rows of :class:`AuthorsWidget` as the stored list of authors."""

    widget = AuthorsWidget

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if not isinstance(value, dict) or "rows" not in value:
            return value if isinstance(value, list) else []
        rows = value["rows"]
        if len(rows) > MAX_ROWS:
            raise forms.ValidationError(
                _(
                    "Trop d'auteurs (%(max)d au plus) : gardez les premiers et cochez « et al. »."
                ),
                code="too_many",
                params={"max": MAX_ROWS},
            )
        authors, errors = [], []
        people = 0
        for row in rows:
            family, given = row["family"], row["given"]
            if not family and not given:
                continue  # an empty row: nothing to keep
            people += 1
            if len(family) > MAX_NAME_CHARS or len(given) > MAX_NAME_CHARS:
                errors.append(
                    forms.ValidationError(
                        _(
                            "Auteur n° %(number)d : un nom s'écrit en %(max)d caractères au plus."
                        ),
                        code="name_too_long",
                        params={"number": people, "max": MAX_NAME_CHARS},
                    )
                )
            elif not family:
                errors.append(
                    forms.ValidationError(
                        _(
                            "Auteur n° %(number)d : « %(given)s » n'a pas de nom de "
                            "famille. Écrivez le nom dans la première colonne."
                        ),
                        code="given_without_family",
                        params={"number": people, "given": given},
                    )
                )
            elif row["literal"]:
                if given:
                    errors.append(
                        forms.ValidationError(
                            _(
                                "Auteur n° %(number)d : une collectivité (« %(name)s ») "
                                "n'a pas de prénom ; videz la deuxième colonne."
                            ),
                            code="literal_with_given",
                            params={"number": people, "name": family},
                        )
                    )
                else:
                    authors.append({"literal": family})
            else:
                author = {"family": family}
                if given:
                    author["given"] = given
                authors.append(author)
        if value["others"]:
            if not people:
                errors.append(
                    forms.ValidationError(
                        _("« et al. » suit au moins un auteur nommé."),
                        code="others_alone",
                    )
                )
            authors.append({"others": True})
        if errors:
            raise forms.ValidationError(errors)
        return authors

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except forms.ValidationError:
            return True

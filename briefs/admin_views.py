"""The Markdown editor's endpoints, closed to anyone but logged-in staff."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .rendering import complexity_problem, markdownify
from .uploads import store_image


def _staff_only(view):
    """Staff required; anonymous AJAX calls get 403 rather than a login page."""

    @require_POST
    def wrapped(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return JsonResponse(
                {"error": _("Accès réservé à la rédaction.")}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


@_staff_only
def markdownify_view(request: HttpRequest) -> HttpResponse:
    """Render the editor's Markdown as the public page will show it."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest(_("Paramètre « content » manquant."))
    problem = complexity_problem(content)
    if problem:
        return HttpResponseBadRequest(problem)
    return HttpResponse(markdownify(content))


@_staff_only
def upload_view(request: HttpRequest) -> JsonResponse:
    """Store an image dropped in the editor and return its Markdown code."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": [_("Aucune image envoyée.")]}, status=400)
    try:
        url = store_image(upload)
    except ValidationError as exc:
        return JsonResponse({"image": exc.messages}, status=400)
    return JsonResponse({"image_code": f"![]({url})"})

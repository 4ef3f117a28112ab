"""Request rules shared by every page and the API."""

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.html import escape

from .intake import upload_refusal

NUL = "\x00"
# How a NUL character arrives inside a JSON document (any case of the hex digits).
JSON_NUL_ESCAPE = b"\\u0000"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _json_has_nul(body: bytes) -> bool:
    return JSON_NUL_ESCAPE in body.lower() or b"\x00" in body


class RejectNulCharactersMiddleware:
    """Refuses a request whose path, query string, form fields or JSON body hold a NUL
    character.

    No text rightstrack keeps may contain one, and PostgreSQL refuses it in any text (a
    server error) where SQLite stores it: Django's form fields already refuse it, the API's
    and the list filters' plain string parameters did not. The API answers 422 like its other
    invalid input; pages answer 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            message = "Text may not contain NUL (0x00) characters."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=422)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if NUL in request.path or _has_nul(request.GET):
            return True
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return False
        if request.content_type == "application/json":
            return _json_has_nul(request.body)
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return _has_nul(request.POST)
        return False


class RefuseOversizedUploadsMiddleware:
    """Refuses (413) a request whose declared body is larger than the largest upload
    (IMPORT_MAX_UPLOAD_BYTES, see core.intake) before anything reads the body: Django would
    otherwise receive the whole upload to disk while parsing the form (the NUL check and the
    CSRF check read it before any view). The API answers JSON like its other refusals; pages a
    short page saying which limit. Placed before every middleware that reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = upload_refusal(request) if request.method in ("POST", "PUT", "PATCH") else None
        if refusal is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": refusal.message}, status=refusal.status)
        page = f"<!doctype html><title>413</title><h1>413</h1><p>{escape(refusal.message)}</p>"
        return HttpResponse(page, status=refusal.status)

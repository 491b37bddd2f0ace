from django.http import FileResponse, Http404
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files in production (after collectstatic).

    A checkout that has not run collectstatic (tests, `make run`) gets the plain file names,
    served by WhiteNoise's finders, instead of an error on every page.
    """

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name


def file_download(field_file, *, filename, content_type=None, inline=False, private=True):
    """An uploaded file as a response: only ever returned by a view that has checked who may
    have it. A file missing from storage is a 404; `private` files are never cached."""
    try:
        handle = field_file.open("rb")
    except OSError as error:
        raise Http404("The file is missing") from error
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    if private:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

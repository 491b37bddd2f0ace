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

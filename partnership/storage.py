from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files in production (after collectstatic).

    Not strict, so that a checkout that has not run collectstatic (tests, `make run`) still
    serves the unhashed files through WhiteNoise's finders instead of failing.
    """

    manifest_strict = False

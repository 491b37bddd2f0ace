import pytest


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Papers and evidence the demo or a test uploads go to a throwaway folder, never the
    checkout's var/uploads."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }

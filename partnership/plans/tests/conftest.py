import pytest


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploaded papers go to a throwaway folder, never the checkout's var/uploads."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }


@pytest.fixture
def demo(personas):
    """The whole Knowsley demo, as `make demo` loads it: every module, then the plans."""
    from partnership.demo import knowsley
    from partnership.governance import demo as governance_demo
    from partnership.performance import demo as performance_demo
    from partnership.plans import demo as plans_demo
    from partnership.reviews import demo as reviews_demo

    organisations = knowsley.build_directory()
    governance_demo.build(organisations, personas)
    reviews_demo.build(organisations, personas)
    performance_demo.build(organisations, personas)
    plans_demo.build(organisations, personas)
    return organisations

import pytest

from partnership.demo import knowsley
from partnership.governance import demo as governance_demo
from partnership.performance import demo


@pytest.fixture
def loaded(personas):
    organisations = knowsley.build_directory()
    governance_demo.build(organisations, personas)
    demo.build(organisations, personas)
    return organisations

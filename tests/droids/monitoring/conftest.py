from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.droids.monitoring.support import FakeSlack, Mailbox


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    yield server
    server.close()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    yield box
    box.close()

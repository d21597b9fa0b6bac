"""Shared fixtures. Helper modules (cluster_helpers, store_helpers, sched_helpers) live beside
this file, which puts this folder on the import path."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


@pytest.fixture
def catalog():
    from k8sgame.catalog_loader import load_default_catalog

    return load_default_catalog()

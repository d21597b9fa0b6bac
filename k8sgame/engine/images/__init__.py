"""Fake container images: the catalog, image references and pulls, and planned processes.

There are no real containers. An image name maps to a behaviour described in
``assets/images.yaml`` (or a level's ``images:`` section): ports, HTTP routes over time, memory,
log lines, required env vars, exit and stop behaviour, and a small shell for ``command:``
scripts. See ``docs/images.md``.
"""

from k8sgame.engine.images.catalog import (
    Catalog,
    CatalogError,
    ImageEntry,
    ImageSpec,
)
from k8sgame.engine.images.catalog_parser import parse_catalog
from k8sgame.engine.images.process import (
    ExecResult,
    HttpResult,
    LogLine,
    Process,
    StopBehaviour,
    container_argv,
    plan_process,
)
from k8sgame.engine.images.reference import (
    ImageReference,
    InvalidImageName,
    PullResult,
    parse_reference,
    pull,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "ExecResult",
    "HttpResult",
    "ImageEntry",
    "ImageReference",
    "ImageSpec",
    "InvalidImageName",
    "LogLine",
    "Process",
    "PullResult",
    "StopBehaviour",
    "container_argv",
    "parse_catalog",
    "parse_reference",
    "plan_process",
    "pull",
]

"""Questions the engine generates and answers. Importing this package registers every
built-in generator."""

from k8sgame.quiz.generators import (  # noqa: F401  (registration)
    backoff,
    job_backoff,
    network_policy,
    oom,
    probes,
    qos,
    quorum,
    rbac,
    restart_policy,
    rolling,
    scheduling,
    service_dns,
    service_reach,
    slow_starter,
)
from k8sgame.quiz.generators.registry import GENERATORS, Generator, generate, generator

__all__ = ["GENERATORS", "Generator", "generate", "generator"]

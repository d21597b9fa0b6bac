"""Questions the engine generates and answers. Importing this package registers every
built-in generator."""

from k8sgame.quiz.generators import (  # noqa: F401  (registration)
    backoff,
    job_backoff,
    oom,
    probes,
    qos,
    quorum,
    restart_policy,
    rolling,
    scheduling,
    slow_starter,
)
from k8sgame.quiz.generators.registry import GENERATORS, Generator, generate, generator

__all__ = ["GENERATORS", "Generator", "generate", "generator"]

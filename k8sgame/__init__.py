"""k8sgame: learn Kubernetes by fixing a deterministic simulated cluster."""

__version__ = "0.1.0"

"""``kubectl describe`` text: the describers of the built-in kinds, the generic one, and the
text helpers they share. Which kind uses which is declared in ``k8sgame.kubectl.kinds``."""

from k8sgame.kubectl.describers.registry import DescribeContext, Describer

__all__ = ["DescribeContext", "Describer"]

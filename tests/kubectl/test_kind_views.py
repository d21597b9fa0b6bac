"""Every kind the API server serves has a kubectl view declared in its own module."""

from k8sgame.engine.kinds import builtin_registry
from k8sgame.kubectl.kinds import VIEWS, table_for


def test_every_served_kind_has_a_table_declared_by_its_kubectl_module():
    # The reviews are only created, never listed: they have no table.
    served = {info.kind for info in builtin_registry().stored()}
    assert set(VIEWS) == served
    for kind in served:
        module = VIEWS[kind].table.row.__module__
        assert module.startswith("k8sgame.kubectl.kinds."), (kind, module)


def test_a_kind_without_a_view_has_no_table():
    assert table_for("NoSuchKind") is None

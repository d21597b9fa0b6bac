"""Serialized image pulls: a pull queued behind a pull of the same image is quick when its
turn comes, because the layers are already on the node."""

from cluster_helpers import messages, new_cluster, pod


def test_second_pull_of_the_same_image_is_quick():
    cluster = new_cluster()
    for name in ("first", "second"):
        cluster.create(pod(name, [{"name": "c", "image": "postgres:16"}], nodeName="node-1"))
    cluster.run_for(120)
    first = [m for m in messages(cluster, "first", "Pulled") if m.startswith("Successfully pulled")]
    second = [
        m for m in messages(cluster, "second", "Pulled") if m.startswith("Successfully pulled")
    ]
    assert first and second
    assert " in 500ms (" in second[0]
    assert " in 500ms (" not in first[0]

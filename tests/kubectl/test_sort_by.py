"""--sort-by against orders and errors recorded from the real kubectl v1.32.4 (sorter.go is
unchanged in 1.35) over a fake API server."""

import json
import random
from pathlib import Path

import pytest

from k8sgame.kubectl import sort_by
from k8sgame.kubectl.sort_by import SortError, UnsortableError, sort_objects, sort_table

PODS = json.loads((Path(__file__).parent / "fixtures" / "kubectl_v1_32_jsonpath.json").read_text())[
    "objects"
]["pods"]


def _names(objects):
    return [o["metadata"]["name"] for o in objects]


def test_numbers_sort_numerically_and_missing_first():
    # kubectl v1.32.4 -o custom-columns=... --sort-by=.spec.priority: db-9 (none), web-2, api-10
    assert _names(sort_objects(PODS, ".spec.priority")) == ["db-9", "web-2", "api-10"]


def test_strings_and_quantities():
    assert _names(sort_objects(PODS, ".metadata.name")) == ["api-10", "db-9", "web-2"]
    # 250m < 500m < 1 as quantities
    assert _names(sort_objects(PODS, ".spec.containers[0].resources.requests.cpu")) == [
        "web-2",
        "db-9",
        "api-10",
    ]


def test_missing_everywhere_is_an_error():
    with pytest.raises(SortError) as caught:
        sort_objects(PODS, ".spec.nothing")
    assert caught.value.render() == (
        'error: couldn\'t find any field with path "{.spec.nothing}" in the list of objects\n'
    )


def test_bad_paths():
    with pytest.raises(SortError, match=r"^unexpected path string"):
        sort_objects(PODS, "{.a}{.b}")
    with pytest.raises(SortError, match=r"^unterminated array$"):
        sort_objects(PODS, ".a[")
    # A single object is still checked; an empty list is not.
    assert sort_objects([], ".nothing") == []


def test_unsortable_values_die_like_klog():
    with pytest.raises(UnsortableError) as caught:
        sort_objects(PODS, ".status.containerStatuses[0].ready")
    assert caught.value.message == (
        "Field {.status.containerStatuses[0].ready} in *unstructured.Unstructured is an "
        "unsortable type: interface, err: unsortable type: bool"
    )
    assert caught.value.render().startswith("F0101 00:00:00.000000       1 sorter.go:329] Field")


def test_table_path_is_lenient_about_the_path_but_not_the_field():
    assert _names(sort_table(PODS, "{.metadata.name}{.x}")) == ["api-10", "db-9", "web-2"]
    assert _names(sort_table(PODS[:1], ".nothing")) == ["web-2"]
    with pytest.raises(SortError, match=r"^sorting error: unterminated array$"):
        sort_table(PODS, ".a[")


def _sixty_pods():
    # The generator behind the recording below (random.seed(7)).
    rng = random.Random(7)
    pods = []
    for i in range(60):
        pod = {"metadata": {"name": f"p{i:02d}-{rng.choice('abc')}"}, "spec": {}}
        if rng.random() < 0.8:
            pod["spec"]["priority"] = rng.randint(0, 6)
        if rng.random() < 0.8:
            pod["spec"]["cpu"] = rng.choice(
                ["100m", "1", "0.5", "2", "250m", "1500m", "abc", "1Gi"]
            )
        pods.append(pod)
    return pods


# kubectl v1.32.4 get pods -o name --sort-by=.spec.cpu over _sixty_pods(): Go's unstable
# pdqsort, including its pattern breaking, decides the order of equal and missing values.
CPU_ORDER_V1_32 = (
    "p20-c p41-c p15-a p26-b p53-c p05-c p04-a p50-b p30-a p18-a p56-a p40-c p46-a p00-b p01-a "
    "p12-a p13-c p19-b p28-a p24-a p07-c p58-c p42-c p59-a p34-b p06-a p55-b p39-c p08-a p03-a "
    "p02-c p38-b p35-c p33-a p29-a p16-b p36-a p51-c p48-b p47-b p43-b p49-b p09-c p11-c p44-c "
    "p45-a p22-b p27-a p21-b p37-c p23-b p57-c p10-b p17-b p25-b p31-c p52-c p32-b p54-b p14-c"
).split()


def test_go_pdqsort_order_matches_kubectl(monkeypatch):
    # kubectl 1.32 is built with Go 1.23, whose xorshift used shifts 13, 17, 5.
    monkeypatch.setattr(sort_by, "XORSHIFT", (13, 17, 5))
    assert _names(sort_objects(_sixty_pods(), ".spec.cpu")) == CPU_ORDER_V1_32
    assert _names(sort_table(_sixty_pods(), ".spec.cpu")) == CPU_ORDER_V1_32


def test_small_lists_sort_by_insertion_so_missing_values_reverse():
    pods = [{"metadata": {"name": n}} for n in ("a", "b", "c")] + [
        {"metadata": {"name": "d"}, "spec": {"x": 1}}
    ]
    # Less(missing, missing) is true, so insertion sort walks each missing item to the front.
    assert _names(sort_objects(pods, ".spec.x")) == ["c", "b", "a", "d"]

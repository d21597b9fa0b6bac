"""``kubectl get --sort-by=FIELD`` (kubectl/pkg/cmd/get/sorter.go).

kubectl sorts with Go's ``sort.Sort`` -- pattern-defeating quicksort, not stable -- and a
Less that says "missing sorts first" even when both are missing, so equal or missing keys
come out in the order that algorithm leaves them. We run the same algorithm (Go's
sort/zsortinterface.go, Go 1.24+ xorshift) so the order is kubectl's byte for byte.
Values compare as sorter.go isLess does on decoded JSON: int64 with int64, float64 with
float64, strings as resource quantities when both parse, else lexically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from k8sgame.engine.quantity import QuantityError, parse_quantity
from k8sgame.kubectl import gofmt
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.jsonpath import JsonPath, JsonPathError, parse, relaxed_expression


class SortError(KubectlError):
    """A --sort-by error printed as ``error: {message}``, exit code 1."""


class UnsortableError(SortError):
    """kubectl dies through klog.Exitf (exit code 1) when values cannot be compared; the line
    carries a klog header with time and pid, which ``render`` fills in (a fixed moment and
    pid 1: the sandbox's output does not depend on the wall clock)."""

    def render(self, language: str = "en") -> str:
        stamp = datetime(2000, 1, 1).strftime("%m%d %H:%M:%S.%f")
        return f"F{stamp} {1:7d} sorter.go:329] {self.message}\n"


class _Unsortable(Exception):
    pass


def _is_quantity_less(left: str, right: str) -> bool:
    """isLess for two strings: compare as quantities when both parse (``100m`` < ``1``)."""
    try:
        if left != left.strip() or right != right.strip():
            raise QuantityError(left)
        return parse_quantity(left) < parse_quantity(right)
    except QuantityError:
        return left < right


def _value_less(left: object, right: object) -> bool:
    """sorter.go isLess for interface values (what unstructured objects hold)."""
    if left is None or right is None:
        return left is None and right is not None
    if isinstance(left, bool) or not isinstance(left, int | float | str):
        raise _Unsortable(f"unsortable type: {_go_type_name(left)}")
    if type(left) is not type(right) or isinstance(right, bool):
        raise _Unsortable("unsortable interface: interface")
    if isinstance(left, str):
        return _is_quantity_less(left, right)  # type: ignore[arg-type]
    return left < right  # type: ignore[operator]


def _go_type_name(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return type(value).__name__


_MISSING = object()


def _first_value(path: JsonPath, obj: object) -> object:
    results = path.find_results(obj, allow_missing=True)
    if not results or not results[0]:
        return _MISSING
    return results[0][0]


def go_sort(items: list[object], less: Callable[[object, object], bool]) -> None:
    """sort.Sort(data) on a list in place, via _PdqSort."""
    if len(items) > 1:
        _PdqSort(items, less).sort()


class _PdqSort:
    """Go's sort.Sort (src/sort/zsortinterface.go): pdqsort with insertion sort for <= 12
    items, heapsort fallback, deterministic xorshift pattern breaking."""

    def __init__(self, data: list[object], less: Callable[[object, object], bool]) -> None:
        self.data = data
        self.less_values = less

    def less(self, i: int, j: int) -> bool:
        return self.less_values(self.data[i], self.data[j])

    def swap(self, i: int, j: int) -> None:
        self.data[i], self.data[j] = self.data[j], self.data[i]

    def sort(self) -> None:
        n = len(self.data)
        self.pdqsort(0, n, n.bit_length())

    def insertion_sort(self, a: int, b: int) -> None:
        for i in range(a + 1, b):
            j = i
            while j > a and self.less(j, j - 1):
                self.swap(j, j - 1)
                j -= 1

    def sift_down(self, lo: int, hi: int, first: int) -> None:
        root = lo
        while True:
            child = 2 * root + 1
            if child >= hi:
                return
            if child + 1 < hi and self.less(first + child, first + child + 1):
                child += 1
            if not self.less(first + root, first + child):
                return
            self.swap(first + root, first + child)
            root = child

    def heap_sort(self, a: int, b: int) -> None:
        first, hi = a, b - a
        for i in range((hi - 1) // 2, -1, -1):
            self.sift_down(i, hi, first)
        for i in range(hi - 1, -1, -1):
            self.swap(first, first + i)
            self.sift_down(0, i, first)

    def pdqsort(self, a: int, b: int, limit: int) -> None:
        was_balanced = was_partitioned = True
        while True:
            length = b - a
            if length <= 12:
                self.insertion_sort(a, b)
                return
            if limit == 0:
                self.heap_sort(a, b)
                return
            if not was_balanced:
                self.break_patterns(a, b)
                limit -= 1
            pivot, hint = self.choose_pivot(a, b)
            if hint == _DECREASING:
                self.reverse_range(a, b)
                pivot = (b - 1) - (pivot - a)
                hint = _INCREASING
            if was_balanced and was_partitioned and hint == _INCREASING:
                if self.partial_insertion_sort(a, b):
                    return
            if a > 0 and not self.less(a - 1, pivot):
                a = self.partition_equal(a, b, pivot)
                continue
            mid, was_partitioned = self.partition(a, b, pivot)
            left_len, right_len = mid - a, b - mid
            threshold = length // 8
            if left_len < right_len:
                was_balanced = left_len >= threshold
                self.pdqsort(a, mid, limit)
                a = mid + 1
            else:
                was_balanced = right_len >= threshold
                self.pdqsort(mid + 1, b, limit)
                b = mid

    def partition(self, a: int, b: int, pivot: int) -> tuple[int, bool]:
        self.swap(a, pivot)
        i, j = a + 1, b - 1
        while i <= j and self.less(i, a):
            i += 1
        while i <= j and not self.less(j, a):
            j -= 1
        if i > j:
            self.swap(j, a)
            return j, True
        self.swap(i, j)
        i, j = i + 1, j - 1
        while True:
            while i <= j and self.less(i, a):
                i += 1
            while i <= j and not self.less(j, a):
                j -= 1
            if i > j:
                break
            self.swap(i, j)
            i, j = i + 1, j - 1
        self.swap(j, a)
        return j, False

    def partition_equal(self, a: int, b: int, pivot: int) -> int:
        self.swap(a, pivot)
        i, j = a + 1, b - 1
        while True:
            while i <= j and not self.less(a, i):
                i += 1
            while i <= j and self.less(a, j):
                j -= 1
            if i > j:
                return i
            self.swap(i, j)
            i, j = i + 1, j - 1

    def partial_insertion_sort(self, a: int, b: int) -> bool:
        i = a + 1
        for _ in range(5):
            while i < b and not self.less(i, i - 1):
                i += 1
            if i == b:
                return True
            if b - a < 50:
                return False
            self.swap(i, i - 1)
            if i - a >= 2:
                for j in range(i - 1, 0, -1):
                    if not self.less(j, j - 1):
                        break
                    self.swap(j, j - 1)
            if b - i >= 2:
                for j in range(i + 1, b):
                    if not self.less(j, j - 1):
                        break
                    self.swap(j, j - 1)
        return False

    def break_patterns(self, a: int, b: int) -> None:
        length = b - a
        if length < 8:
            return
        state = length
        modulus = 1 << length.bit_length()
        mask = (1 << 64) - 1
        base = a + (length // 4) * 2 - 1
        for idx in range(base, base + 3):
            left, right, last = XORSHIFT
            state ^= (state << left) & mask
            state ^= state >> right
            state ^= (state << last) & mask
            other = state & (modulus - 1)
            if other >= length:
                other -= length
            self.swap(idx, a + other)

    def choose_pivot(self, a: int, b: int) -> tuple[int, int]:
        length = b - a
        swaps = [0]
        i, j, k = a + length // 4, a + length // 4 * 2, a + length // 4 * 3
        if length >= 8:
            if length >= 50:
                i = self.median(i - 1, i, i + 1, swaps)
                j = self.median(j - 1, j, j + 1, swaps)
                k = self.median(k - 1, k, k + 1, swaps)
            j = self.median(i, j, k, swaps)
        if swaps[0] == 0:
            return j, _INCREASING
        if swaps[0] == 12:
            return j, _DECREASING
        return j, _UNKNOWN

    def order2(self, a: int, b: int, swaps: list[int]) -> tuple[int, int]:
        if self.less(b, a):
            swaps[0] += 1
            return b, a
        return a, b

    def median(self, a: int, b: int, c: int, swaps: list[int]) -> int:
        a, b = self.order2(a, b, swaps)
        b, c = self.order2(b, c, swaps)
        a, b = self.order2(a, b, swaps)
        return b

    def reverse_range(self, a: int, b: int) -> None:
        i, j = a, b - 1
        while i < j:
            self.swap(i, j)
            i, j = i + 1, j - 1


_UNKNOWN, _INCREASING, _DECREASING = 0, 1, 2

# sort.go's xorshift shifts. Go 1.24 fixed them to 13, 7, 17 (golang/go#70144); kubectl 1.35
# is built with Go 1.25. kubectl 1.32 (Go 1.23) used 13, 17, 5. Only lists longer than 12
# whose partitions come out unbalanced ever reach this.
XORSHIFT = (13, 7, 17)


def _sort(
    objects: Sequence[dict[str, object]], path: JsonPath, field: str, type_name: str
) -> list[dict[str, object]]:
    keyed = [(_first_value(path, obj), obj) for obj in objects]

    def less(left: object, right: object) -> bool:
        # sorter.go Less: a missing left value sorts first even when the right is missing too.
        i_value, j_value = left[0], right[0]  # type: ignore[index]
        if i_value is _MISSING:
            return True
        if j_value is _MISSING:
            return False
        try:
            return _value_less(i_value, j_value)
        except _Unsortable as error:
            raise UnsortableError(
                f"Field {field} in {type_name} is an unsortable type: interface, err: {error}"
            ) from None

    items: list[object] = list(keyed)
    go_sort(items, less)
    return [pair[1] for pair in items]  # type: ignore[index]


def sort_objects(objects: Sequence[dict[str, object]], field: str) -> list[dict[str, object]]:
    """--sort-by with a non-table output (-o name/json/yaml/jsonpath/custom-columns): kubectl's
    SortObjects. Raises SortError (bad path or no object has the field) or UnsortableError."""
    if not objects:
        return []
    try:
        expression = relaxed_expression(field)
        path = parse(expression)
        found = any(_first_value(path, obj) is not _MISSING for obj in objects)
    except JsonPathError as error:
        raise SortError(error.message) from None
    if not found:
        raise SortError(
            f"couldn't find any field with path {gofmt.quote(expression)} in the list of objects"
        )
    return _sort(objects, path, expression, "*unstructured.Unstructured")


def sort_table(objects: Sequence[dict[str, object]], field: str) -> list[dict[str, object]]:
    """--sort-by with the default table output: get.go's SortingPrinter on the server's Table
    (rows sorted only when there are two or more). A SortError here is what kubectl computes
    but then drops (get.go Run ignores PrintObj's error): it prints no rows and, having
    written nothing, ``No resources found in NS namespace.`` with exit code 0."""
    if len(objects) <= 1:
        return list(objects)
    try:
        expression = relaxed_expression(field)
    except JsonPathError:
        expression = field
    try:
        path = parse(expression)
    except JsonPathError as error:
        raise SortError(f"sorting error: {error.message}") from None
    try:
        found = any(_first_value(path, obj) is not _MISSING for obj in objects)
    except JsonPathError as error:
        raise SortError(str(error.message)) from None
    if not found:
        raise SortError(
            f"couldn't find any field with path {gofmt.quote(expression)} in the list of objects"
        )
    return _sort(objects, path, expression, "[][][]reflect.Value")

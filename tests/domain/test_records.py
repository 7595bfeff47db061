"""domain/records.py declares classes like dataclasses without generating code: it must behave as they do
for everything the app uses (construction, defaults, factories, equality, hashing, order, frozen, repr,
pickling and copying, pattern matching)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import ClassVar

import pytest

from kwc_desktop.domain.records import field, record, replace


@record
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    KIND: ClassVar[str] = "point"


@dataclasses.dataclass(frozen=True)
class PointDC:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    KIND: ClassVar[str] = "point"


@record(frozen=False)
class Bag:
    name: str
    items: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@record(order=True)
class Version:
    major: int
    minor: int = 0


@record
class Point3(Point):
    z: int = 0


def test_construction_and_defaults_as_dataclasses() -> None:
    for cls in (Point, PointDC):
        assert cls(1).y == 0 and cls(1, 2).y == 2 and cls(x=3, y=4, tags=("a",)).tags == ("a",)  # type: ignore[operator]
        assert cls.KIND == "point"
    assert Point3(1, 2, z=3).z == 3 and Point3(1).z == 0
    assert Point3.__match_args__ == ("x", "y", "tags", "z")


@pytest.mark.parametrize("call", [lambda c: c(), lambda c: c(1, 2, (), 4), lambda c: c(1, x=1), lambda c: c(1, w=2)])
def test_wrong_arguments_raise_type_error_as_dataclasses(call) -> None:
    with pytest.raises(TypeError):
        call(PointDC)
    with pytest.raises(TypeError):
        call(Point)


def test_factories_give_each_instance_its_own() -> None:
    one, two = Bag("a"), Bag("b")
    one.items.append("x")
    one.counts["x"] = 1
    assert two.items == [] and two.counts == {}
    one.name = "renamed"  # not frozen
    assert one.name == "renamed"


def test_equality_and_hash() -> None:
    assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(2, 1)
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert len({Point(1), Point(1), Point(2)}) == 2
    assert Point(1, 0) != Point3(1, 0)  # another class, as dataclasses
    assert Point(1) != (1, 0, ())
    assert Bag("a") == Bag("a")
    with pytest.raises(TypeError):
        hash(Bag("a"))  # mutable and compared by value: unhashable


def test_frozen() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x  # type: ignore[misc]
    assert point.x == 1


def test_order() -> None:
    assert sorted([Version(2), Version(1, 5), Version(1)]) == [Version(1), Version(1, 5), Version(2)]
    assert Version(1) < Version(1, 1) <= Version(1, 1) and Version(3) > Version(2) >= Version(2)
    with pytest.raises(TypeError):
        assert Point(1) < Point(2)  # type: ignore[operator]  # no order asked


def test_repr_as_dataclasses() -> None:
    assert repr(Point(1, 2)) == repr(PointDC(1, 2)).replace("PointDC", "Point")


def test_pickle_copy_and_match() -> None:
    point = Point3(1, 2, ("a",), 3)
    assert pickle.loads(pickle.dumps(point)) == point
    assert copy.deepcopy(point) == point and copy.copy(Bag("a", ["x"])) == Bag("a", ["x"])
    match point:
        case Point3(x, y, tags, z):
            assert (x, y, tags, z) == (1, 2, ("a",), 3)
        case _:
            pytest.fail("positional match failed")


def test_a_mutable_default_is_refused_as_by_dataclasses() -> None:
    with pytest.raises(ValueError):
        @record
        class Wrong:
            items: list[str] = []  # noqa: RUF012

    with pytest.raises(TypeError):
        @record
        class Misordered:
            a: int = 0
            b: int  # type: ignore[misc]


def test_a_field_kept_out_of_repr_stays_out() -> None:
    @record
    class Key:
        sid: str
        secret: str = field(repr=False)

    key = Key("SK1", "hunter2")
    assert "hunter2" not in repr(key) and "SK1" in repr(key) and key.secret == "hunter2"


def test_a_field_left_out_of_comparison_is_left_out_of_eq_and_hash() -> None:
    @record
    class Cached:
        value: int
        cache: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    one, two = Cached(1), Cached(1, {"x": 1})
    assert one == two and hash(one) == hash(two) and Cached(1) != Cached(2)


def test_field_options_a_record_does_not_have_are_refused() -> None:
    with pytest.raises(TypeError):
        @record
        class Uninitialised:
            a: int = field(default=0, init=False)


def test_replace_as_dataclasses() -> None:
    point = Point3(1, 2, ("a",), 3)
    assert replace(point, y=5) == Point3(1, 5, ("a",), 3) and point.y == 2
    with pytest.raises(TypeError):
        replace(point, w=1)
    with pytest.raises(TypeError):
        replace(object())

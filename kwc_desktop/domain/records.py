"""Value classes declared like dataclasses, made without generating code.

`dataclasses.dataclass` compiles up to six methods for every class with `exec()`; for the forty classes
on the way to the first paint (the program model, the answers, SIDs) that was about 20 ms of the start.
A record reads the same declaration — annotated fields, defaults, `field(default_factory=…)` — and shares
one set of plain methods that read the class's field list: `__init__` (positional and keyword arguments,
the same errors), `__repr__` (without the fields marked `field(repr=False)`), `__eq__` (without those marked
`compare=False`), `__hash__` when frozen, ordering when asked, and frozen
attributes (`dataclasses.FrozenInstanceError`). tests/domain/test_records.py holds it to what dataclasses do.

`dataclasses` itself (with `copy`, 60 kB of bytecode) is imported only to raise its error: `field()` here
takes the four options a record has, and any other is a TypeError, as it is for an unknown one.

Type checkers see records as dataclasses (`typing.dataclass_transform`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["field", "record", "replace"]

C = TypeVar("C", bound=type)
R = TypeVar("R")
_MUTABLE_DEFAULTS = (list, dict, set)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # no default given (None is a default)


class Field:
    """What `field()` declares: a default or a factory for one, and whether repr() shows it and == compares it."""

    __slots__ = ("compare", "default", "default_factory", "repr")

    def __init__(self, default: Any, default_factory: Any, repr: bool, compare: bool) -> None:  # noqa: A002
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.default, self.default_factory, self.repr, self.compare = default, default_factory, repr, compare


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING, repr: bool = True,  # noqa: A002
          compare: bool = True) -> Any:
    """As `dataclasses.field`, with the options a record supports."""
    return Field(default, default_factory, repr, compare)


def _frozen(message: str) -> Exception:
    from dataclasses import FrozenInstanceError  # only here: see the module's note

    return FrozenInstanceError(message)


@overload
def record(cls: C, /) -> C: ...
@overload
def record(*, frozen: bool = True, order: bool = False) -> Callable[[C], C]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: C | None = None, /, *, frozen: bool = True, order: bool = False) -> C | Callable[[C], C]:
    """`@record` (frozen, hashable), `@record(frozen=False)` (mutable, unhashable), `order=True` (<, >)."""

    def wrap(target: C) -> C:
        return _make(target, frozen, order)

    return wrap if cls is None else wrap(cls)


def replace(obj: R, /, **changes: Any) -> R:
    """A copy of the record `obj` with some fields changed (as `dataclasses.replace`)."""
    fields = type(obj).__dict__.get("__record_fields__") or getattr(type(obj), "__record_fields__", None)
    if fields is None:
        raise TypeError(f"{type(obj).__name__} is not a record")
    return type(obj)(**{**{name: getattr(obj, name) for name in fields[0]}, **changes})


def _own_fields(cls: type) -> tuple[list[str], dict[str, Any], dict[str, Callable[[], Any]], set[str], set[str]]:
    names: list[str] = []
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    hidden: set[str] = set()
    uncompared: set[str] = set()
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        names.append(name)
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):
            if not value.repr:
                hidden.add(name)  # a secret, say: never in repr()
            if not value.compare:
                uncompared.add(name)  # a cache, say: not part of the value
            if value.default_factory is not MISSING:
                factories[name] = value.default_factory
                delattr(cls, name)
            elif value.default is not MISSING:
                defaults[name] = value.default
                setattr(cls, name, value.default)
            else:
                delattr(cls, name)
        elif value is not MISSING:
            if isinstance(value, _MUTABLE_DEFAULTS):
                raise ValueError(f"mutable default {type(value)} for field {name} is not allowed: use default_factory")
            defaults[name] = value
    return names, defaults, factories, hidden, uncompared


def _all_fields(cls: type) -> tuple[list[str], dict[str, Any], dict[str, Callable[[], Any]], set[str], set[str]]:
    """The class's fields, inherited ones first (as dataclasses order them), with their defaults and options."""
    names: list[str] = []
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    hidden: set[str] = set()
    uncompared: set[str] = set()
    for base in reversed(cls.__mro__[1:]):
        spec = base.__dict__.get("__record_fields__")
        if spec is not None:
            base_names, base_defaults, base_factories, base_hidden, base_uncompared = spec
            names += [n for n in base_names if n not in names]
            defaults.update(base_defaults)
            factories.update(base_factories)
            hidden |= base_hidden
            uncompared |= base_uncompared
    own, own_defaults, own_factories, own_hidden, own_uncompared = _own_fields(cls)
    hidden |= own_hidden
    uncompared |= own_uncompared
    names += [n for n in own if n not in names]
    for name in own:  # redeclared here: its default (or none) is this class's
        defaults.pop(name, None)
        factories.pop(name, None)
    defaults.update(own_defaults)
    factories.update(own_factories)
    seen_default = False
    for name in names:
        if name in defaults or name in factories:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument '{name}' follows default argument")
    return names, defaults, factories, hidden, uncompared


def _init(title: str, fields: tuple[str, ...], defaults: dict[str, Any],
          factories: dict[str, Callable[[], Any]]) -> Callable[..., None]:
    """`__init__` for these fields: the common calls (every field, in order or by name) first and cheap."""
    known = frozenset(fields)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if not kwargs and len(args) == len(fields):  # every field given, in order: nothing to check by name
            self.__dict__.update(zip(fields, args, strict=True))
            return
        if not args and len(kwargs) == len(fields) and known.issuperset(kwargs):  # every field, by name
            self.__dict__.update(kwargs)
            return
        if len(args) > len(fields):
            raise TypeError(f"{title}.__init__() takes {len(fields) + 1} positional arguments "
                            f"but {len(args) + 1} were given")
        values = dict(zip(fields, args, strict=False))  # fewer arguments than fields: the rest by default
        for key in kwargs:
            if key not in known:
                raise TypeError(f"{title}.__init__() got an unexpected keyword argument '{key}'")
            if key in values:
                raise TypeError(f"{title}.__init__() got multiple values for argument '{key}'")
        values.update(kwargs)
        if len(values) < len(fields):
            for name in fields:
                if name in values:
                    continue
                if name in defaults:
                    values[name] = defaults[name]
                elif name in factories:
                    values[name] = factories[name]()
                else:
                    raise TypeError(f"{title}.__init__() missing 1 required positional argument: '{name}'")
        self.__dict__.update(values)

    return __init__


def _frozen_methods(values: Callable[[Any], tuple[Any, ...]]) -> dict[str, Any]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        raise _frozen(f"cannot assign to field '{name}'")

    def __delattr__(self: Any, name: str) -> None:
        raise _frozen(f"cannot delete field '{name}'")

    return {"__hash__": __hash__, "__setattr__": __setattr__, "__delattr__": __delattr__}


def _order_methods(values: Callable[[Any], tuple[Any, ...]]) -> dict[str, Any]:
    def compare(test: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Callable[[Any, object], Any]:
        def method(self: Any, other: object) -> Any:  # bool, or NotImplemented for another class
            if other.__class__ is not self.__class__:
                return NotImplemented
            return test(values(self), values(other))
        return method

    return {"__lt__": compare(lambda a, b: a < b), "__le__": compare(lambda a, b: a <= b),
            "__gt__": compare(lambda a, b: a > b), "__ge__": compare(lambda a, b: a >= b)}


def _make(cls: C, frozen: bool, order: bool) -> C:
    names, defaults, factories, hidden, uncompared = _all_fields(cls)
    fields = tuple(names)
    shown_fields = tuple(n for n in fields if n not in hidden)
    compared_fields = tuple(n for n in fields if n not in uncompared)
    title = cls.__qualname__

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown_fields)
        return f"{type(self).__qualname__}({shown})"

    def values(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in compared_fields)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        same: bool = values(self) == values(other)
        return same

    spec = (fields, defaults, factories, frozenset(hidden), frozenset(uncompared))
    methods: dict[str, Any] = {"__init__": _init(title, fields, defaults, factories), "__repr__": __repr__,
                               "__eq__": __eq__, "__match_args__": fields, "__record_fields__": spec}
    if frozen:
        methods.update(_frozen_methods(values))
    else:
        methods["__hash__"] = None  # mutable and compared by value: unhashable, as a dataclass
    if order:
        methods.update(_order_methods(values))
    for name, method in methods.items():
        if callable(method):
            method.__qualname__ = f"{title}.{name}"
        if name in cls.__dict__ and name not in ("__hash__", "__match_args__", "__record_fields__"):
            continue  # the class wrote its own (as dataclasses keep a hand-written __repr__ …)
        setattr(cls, name, method)
    return cls

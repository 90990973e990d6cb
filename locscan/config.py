"""Read a YAML configuration file into a pydantic model; one way to read, one way to fail.

Every configuration file of locscan (``region.yaml``, ``layers.yaml``, ``sources.yaml`` and the
criteria files) goes through :func:`load` (or :func:`parse` for a mapping already in memory).
An error names the file, the key (``hard[afstand_werk].op``), the line where YAML gives one,
what is wrong and, for a key that is not allowed, the keys that are; all problems of a file
are reported at once, in one error of the caller's class.
"""

from __future__ import annotations

import contextlib
import os
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from locscan.errors import LocscanError

__all__ = ["load", "parse", "read", "text_data"]

M = TypeVar("M", bound=BaseModel)


#: limits on what a configuration file may hold: a hostile file is refused, not expanded
MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000  # after expanding aliases
#: libyaml's safe loader where PyYAML was built with it: a region.yaml of 342 gemeenten is read
#: three times (events, nodes, data) in 0.1 s instead of 1 s
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path: str | os.PathLike, *, what: str, error: type[LocscanError]
         ) -> tuple[Any, yaml.Node | None]:
    """
    Read a YAML file: its data and its node tree (for line numbers).

    The file must be UTF-8 text of at most :data:`MAX_BYTES`; keys may not repeat in one
    mapping; nesting and the size after expanding aliases are bounded (:data:`MAX_DEPTH`,
    :data:`MAX_NODES`), so an alias bomb or a deeply nested file is one clear error.

    Raises
    ------
    LocscanError
        Of class `error`: the file is missing, too big, not UTF-8 text, not valid YAML, or
        breaks one of the rules above (with the line).
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"{what} {path}: file not found")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise error(f"{what} {path}: {size:,} bytes; a configuration file is at most "
                    f"{MAX_BYTES:,}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{what} {path}: not UTF-8 text (byte {exc.start + 1} cannot be read); "
                    "save it as UTF-8") from exc
    if "\x00" in text:
        raise error(f"{what} {path}: a binary file, not YAML text")
    try:
        return text_data(text, what=f"{what} {path}", error=error)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{what} {path}: not valid YAML: {problem}{where}") from exc


def text_data(text: str, *, what: str, error: type[LocscanError]
              ) -> tuple[Any, yaml.Node | None]:
    r"""
    The data and node tree of YAML `text`, checked for depth, size and repeated keys.

    Examples
    --------
    >>> text_data("a: 1\nb: [2, 3]\n", what="t", error=LocscanError)[0]
    {'a': 1, 'b': [2, 3]}
    >>> text_data("op: <=\nop: '>='\n", what="t", error=LocscanError)
    Traceback (most recent call last):
    locscan.errors.LocscanError: t: key 'op' appears twice in one mapping (lines 1 and 2)
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise error(f"{what}: nested more than {MAX_DEPTH} levels deep "
                            f"(line {event.start_mark.line + 1})")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    node = yaml.compose(text, Loader=_LOADER)
    _check_nodes(node, what=what, error=error)
    return yaml.load(text, Loader=_LOADER), node


def _check_nodes(root: yaml.Node | None, *, what: str, error: type[LocscanError]) -> None:
    """Refuse repeated keys, and trees that expand (through aliases) past :data:`MAX_NODES`."""
    if root is None:
        return
    size: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack, seen = [root], set()
    while stack:  # every distinct node once, parents before children
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        if isinstance(node, yaml.MappingNode):
            lines: dict[Any, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in lines:
                        raise error(f"{what}: key {key.value!r} appears twice in one mapping "
                                    f"(lines {lines[key.value]} and {key.start_mark.line + 1})")
                    lines[key.value] = key.start_mark.line + 1
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    for node in reversed(order):  # children before parents: the size each alias stands for
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size[id(k)] + size[id(v)] for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size[id(v)] for v in node.value)
        else:
            total = 1
        if total > MAX_NODES:
            raise error(f"{what}: expands to more than {MAX_NODES:,} values (through aliases "
                        f"such as *name); line {node.start_mark.line + 1}")
        size[id(node)] = total


def _node_line(node: yaml.Node | None, loc: tuple) -> int | None:
    """The line of the node at `loc` (or of the deepest node on the way that exists)."""
    line = None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == str(key)), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(
                node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _key_text(raw: Any, loc: tuple) -> str:
    """
    A readable key path: mapping keys joined by dots, list items by their id when they have one.

    Examples
    --------
    >>> _key_text({"hard": [{"id": "afstand"}]}, ("hard", 0, "op"))
    'hard[afstand].op'
    >>> _key_text({"a": [1, 2]}, ("a", 1))
    'a[2]'
    """
    out, node = "", raw
    for key in loc:
        child = None
        with contextlib.suppress(KeyError, IndexError, TypeError):
            child = node[key]
        if isinstance(key, int):
            label = child.get("id") if isinstance(child, dict) and "id" in child else key + 1
            out += f"[{label}]"
        else:
            out += f".{key}" if out else str(key)
        node = child
    return out


def _strip(annotation: Any) -> Any:
    """The model class inside an annotation (``X | None``, ``list[X]``, ``dict[str, X]``)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
    return annotation


def _allowed(model: type[BaseModel], loc: tuple) -> list[str] | None:
    """The keys allowed at the parent of `loc` (for an extra key), or ``None`` if unknown."""
    current: Any = model
    for key in loc[:-1]:
        current = _strip(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(key))
            if field is None:
                return None
            current = field.annotation
            continue
        origin, args = typing.get_origin(current), typing.get_args(current)
        if origin in (list, tuple) and args:
            current = args[0]
        elif origin is dict and len(args) == 2:
            current = args[1]
        else:
            return None
    current = _strip(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def problems(exc: ValidationError, raw: Any, model: type[BaseModel],
             node: yaml.Node | None = None, prefix: tuple = ()) -> list[str]:
    """Every error of a validation as ``key: message (line N)``."""
    out = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        key = _key_text(raw, loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden" and (allowed := _allowed(model, tuple(err["loc"]))):
            msg += f"; allowed: {', '.join(allowed)}"
        line = _node_line(node, loc)
        text = f"{key}: {msg}" if key else msg
        out.append(text + (f" (line {line})" if line else ""))
    return out


def parse(model: type[M], raw: Any, *, source: str, what: str, error: type[LocscanError],
          node: yaml.Node | None = None, context: dict | None = None) -> M:
    """
    Validate `raw` (a mapping as read from YAML) as `model`.

    Parameters
    ----------
    model
        The pydantic model of the file.
    raw
        The data.
    source, what
        Where the data comes from, for messages: ``"criteria file"``, ``"crit.yaml"``.
    error
        The error class to raise.
    node
        The YAML node tree of the file, for line numbers.
    context
        Passed to pydantic's validation context.

    Raises
    ------
    LocscanError
        Of class `error`, naming the file and listing every problem.
    """
    if not isinstance(raw, dict):
        raise error(f"{what} {source}: expected a mapping of keys, got "
                    f"{type(raw).__name__}")
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        raise error(f"{what} {source}: "
                    + "; ".join(problems(exc, raw, model, node))) from exc


def load(model: type[M], path: str | os.PathLike, *, what: str,
         error: type[LocscanError], context: dict | None = None) -> M:
    r"""
    Read the YAML file at `path` and validate it as `model`; see :func:`parse`.

    Examples
    --------
    >>> import tempfile
    >>> from pydantic import BaseModel, ConfigDict
    >>> class Size(BaseModel):
    ...     model_config = ConfigDict(extra="forbid")
    ...     width: int
    >>> path = Path(tempfile.mkdtemp()) / "size.yaml"
    >>> _ = path.write_text("width: 3\nheight: 4\n")
    >>> try:
    ...     load(Size, path, what="size file", error=LocscanError)
    ... except LocscanError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    height: Extra inputs are not permitted; allowed: width (line 2)
    """
    raw, node = read(path, what=what, error=error)
    return parse(model, raw, source=str(path), what=what, error=error, node=node,
                 context=context)

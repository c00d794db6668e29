"""Configuration: ``[tool.deescalate-lint]`` in ``pyproject.toml``, or ``.deescalate-lint.toml``.

How a file finds its configuration (the same rule as ruff's): walk up from the
directory of each linted file; the first directory holding a
``.deescalate-lint.toml``, or a ``pyproject.toml`` with a
``[tool.deescalate-lint]`` table, wins (``.deescalate-lint.toml`` first when a
directory has both). So two folders of one run can carry different settings.
Standard input looks from the current directory. ``--config PATH`` uses that
one file for every input; ``--isolated`` uses none.

Paths in a configuration (``rule-dirs``, ``per-file-ignores`` globs) are
relative to the folder of the file that names them. Every key, rule name and
value is checked when the file is read: a mistake is an error naming the file
and the key, never a setting silently dropped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import regex

from .errors import ConfigError, DeescalateError
from .languages import describe_languages, language_code
from .model import Severity
from .rulepack import Rule, load_rules
from .suppress import ENGINE_SELECTORS, is_engine_selector

if TYPE_CHECKING:
    from .engine import Linter

PYPROJECT = "pyproject.toml"
DOTFILE = ".deescalate-lint.toml"
#: Within one directory, the first of these that configures deescalate-lint wins.
CONFIG_NAMES = (DOTFILE, PYPROJECT)

_LIST_KEYS = ("select", "ignore", "extend-select")
_KNOWN_KEYS = frozenset(
    {
        *_LIST_KEYS,
        "per-file-ignores",
        "rules",
        "severity",
        "language",
        "roles",
        "rule-dirs",
        "readers",
    }
)


@dataclass(frozen=True)
class Settings:
    """What one configuration file asks for (defaults when ``path`` is None)."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    severity: Mapping[str, str] = field(default_factory=dict)
    language: str | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    rule_dirs: tuple[Path, ...] = ()
    reader_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "<defaults>"

    def ignores_for(self, file: str) -> tuple[str, ...]:
        """The rules ``per-file-ignores`` switches off for ``file``."""
        if not self.per_file_ignores or file.startswith("<"):
            return ()
        relative = _relative(Path(file), self.root)
        found: list[str] = []
        for pattern, rules in self.per_file_ignores:
            if glob_matches(pattern, relative):
                found.extend(rules)
        return tuple(dict.fromkeys(found))


# -- finding the file ---------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The closest configuration file at or above ``start`` (a directory)."""
    return _find_in(start.resolve())


@lru_cache(maxsize=256)
def _find_in(directory: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file() and (name == DOTFILE or _pyproject_configures(candidate)):
            return candidate
    if directory.parent == directory:
        return None
    return _find_in(directory.parent)


def _pyproject_configures(path: Path) -> bool:
    tool = _read(path).get("tool", {})
    return isinstance(tool, dict) and "deescalate-lint" in tool


# -- reading it ---------------------------------------------------------------


def load_config(path: Path) -> Settings:
    """Read and check one configuration file (``--config`` or a found one)."""
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    data = _read(path)
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        section = tool.get("deescalate-lint") if isinstance(tool, dict) else None
        if section is None:
            raise ConfigError(f"{path}: no [tool.deescalate-lint] table")
        prefix = "tool.deescalate-lint."
    else:
        section, prefix = data, ""
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.') or 'the file'} must be a table")
    return parse_settings(section, path, prefix)


def _read(path: Path) -> dict[str, Any]:
    from .resources import read_toml

    try:
        return read_toml(path)
    except DeescalateError as exc:
        raise ConfigError(str(exc)) from None


def parse_settings(data: Mapping[str, Any], path: Path, prefix: str = "") -> Settings:
    """Check every key of one configuration table and build its ``Settings``."""
    where = _Where(path, prefix)
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise where.error(unknown[0], f"unknown key (known: {', '.join(sorted(_KNOWN_KEYS))})")
    root = path.parent.resolve()
    rule_dirs = tuple(
        _rule_dir(root, item, where)
        for item in _string_list(data.get("rule-dirs", []), where, "rule-dirs")
    )
    try:
        rules = load_rules(rule_dirs)
    except DeescalateError as exc:
        raise where.error("rule-dirs", str(exc)) from None
    lists = {key: _string_list(data.get(key, []), where, key) for key in _LIST_KEYS}
    for key, selectors in lists.items():
        for selector in selectors:
            _check_selector(rules, selector, where, key)
    per_file = _per_file_ignores(data.get("per-file-ignores", {}), rules, where)
    options = _rule_options(data.get("rules", {}), rules, where)
    severity = _severity(data.get("severity", {}), rules, where)
    language = data.get("language")
    if language is not None:
        language = _language(language, where)
    roles = _roles(data.get("roles", {}), where)
    readers = _readers(data.get("readers", {}), where)
    return Settings(
        path=path,
        root=root,
        select=tuple(lists["select"]) if "select" in data else None,
        ignore=tuple(lists["ignore"]),
        extend_select=tuple(lists["extend-select"]),
        per_file_ignores=per_file,
        options=options,
        severity=severity,
        language=language,
        roles=roles,
        rule_dirs=rule_dirs,
        reader_options=readers,
    )


@dataclass(frozen=True)
class _Where:
    path: Path
    prefix: str

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.prefix}{key}: {message}")


def _string_list(value: Any, where: _Where, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise where.error(key, f"must be a list of strings, got {value!r}")
    return [x.strip() for x in value]


def _check_selector(rules: Sequence[Rule], selector: str, where: _Where, key: str) -> None:
    if is_engine_selector(selector) or any(rule.matches_selector(selector) for rule in rules):
        return
    raise where.error(key, f"unknown rule {selector!r} (see `lint-transcript rules`)")


def _rule_dir(root: Path, item: str, where: _Where) -> Path:
    directory = (root / item).resolve()
    if not directory.is_dir():
        raise where.error("rule-dirs", f"no such folder: {item!r}")
    return directory


def _per_file_ignores(
    value: Any, rules: Sequence[Rule], where: _Where
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise where.error("per-file-ignores", "must be a table of glob = [rules]")
    out = []
    for pattern, selectors in value.items():
        key = f'per-file-ignores."{pattern}"'
        checked = _string_list(selectors, where, key)
        for selector in checked:
            _check_selector(rules, selector, where, key)
        out.append((pattern, tuple(checked)))
    return tuple(out)


def _rule_options(value: Any, rules: Sequence[Rule], where: _Where) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise where.error("rules", "must be a table of [rules.<rule-name>] tables")
    by_name = {rule.slug: rule for rule in rules} | {rule.code: rule for rule in rules}
    out: dict[str, dict[str, Any]] = {}
    for name, options in value.items():
        key = f"rules.{name}"
        rule = by_name.get(name)
        if rule is None:
            raise where.error(key, f"unknown rule {name!r} (see `lint-transcript rules`)")
        if not isinstance(options, dict):
            raise where.error(key, "must be a table of options")
        for option, given in options.items():
            problem = rule.option_problem(option, given)
            if problem:
                raise where.error(f"{key}.{option}", problem)
        out.setdefault(rule.slug, {}).update(options)
    return out


def _severity(value: Any, rules: Sequence[Rule], where: _Where) -> dict[str, str]:
    if not isinstance(value, dict):
        raise where.error("severity", 'must be a table of rule = "error" | "warning" | "info"')
    levels = [s.value for s in Severity]
    for selector, level in value.items():
        key = f"severity.{selector}"
        if level not in levels:
            raise where.error(key, f"must be one of {', '.join(levels)}, got {level!r}")
        if not any(rule.matches_selector(selector) for rule in rules):
            raise where.error(key, f"unknown rule {selector!r} (see `lint-transcript rules`)")
    return dict(value)


def _language(value: Any, where: _Where) -> str:
    code = language_code(value) if isinstance(value, str) else None
    if code is None:
        known = describe_languages()
        raise where.error("language", f"must be one of {known}, got {value!r}")
    return code


def _roles(value: Any, where: _Where) -> dict[str, str]:
    from .roles import SKIP

    if not isinstance(value, dict):
        raise where.error(
            "roles", 'must be a table of "speaker label" = "agent" | "customer" | "skip"'
        )
    allowed = ("agent", "customer", SKIP)
    for label, role in value.items():
        if role not in allowed:
            raise where.error(f"roles.{label}", f"must be agent, customer or skip, got {role!r}")
    return dict(value)


def _readers(value: Any, where: _Where) -> dict[str, dict[str, Any]]:
    from .readers import check_reader_options, reader_names

    if not isinstance(value, dict):
        raise where.error("readers", "must be a table of [readers.<format>] tables")
    names = reader_names()
    for name, options in value.items():
        if name not in names:
            raise where.error(
                f"readers.{name}", f"unknown input format (known: {', '.join(names)})"
            )
        if not isinstance(options, dict):
            raise where.error(f"readers.{name}", "must be a table of reader options")
        try:
            check_reader_options({name: options})
        except ConfigError as exc:
            raise where.error(f"readers.{name}", str(exc)) from None
    return {name: dict(options) for name, options in value.items()}


# -- from settings to a linter -----------------------------------------------


@dataclass(frozen=True)
class Overrides:
    """What the command line says; it wins over (or adds to) every config file.

    ``select`` replaces the file's ``select``; ``extend_select``, ``ignore`` and
    ``rule_dirs`` add to the file's; ``language`` replaces the file's.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    language: str | None = None
    rule_dirs: tuple[str, ...] = ()
    input_format: str | None = None


def build_linter(
    settings: Settings, overrides: Overrides = Overrides(), extra_ignore: Sequence[str] = ()
) -> Linter:
    """The ``Linter`` for one configuration, command line and per-file ignores."""
    from .engine import Linter

    select = overrides.select if overrides.select is not None else settings.select
    if select is not None:
        select = (*select, *settings.extend_select, *overrides.extend_select)
    return Linter(
        select=select,
        ignore=(*settings.ignore, *overrides.ignore, *extra_ignore),
        options=settings.options,
        severity=settings.severity,
        language=overrides.language or settings.language,
        roles=settings.roles,
        rule_dirs=(*settings.rule_dirs, *overrides.rule_dirs),
        input_format=overrides.input_format,
        reader_options=settings.reader_options,
    )


class Resolver:
    """Settings and a ``Linter`` per input file, each built once and shared."""

    def __init__(
        self, overrides: Overrides, *, config: Path | None = None, isolated: bool = False
    ) -> None:
        self.overrides = overrides
        self.isolated = isolated
        self.fixed = load_config(config) if config is not None else None
        self._settings: dict[Path | None, Settings] = {}
        self._linters: dict[tuple[Path | None, tuple[str, ...]], Linter] = {}

    def settings_for(self, file: str) -> Settings:
        if self.fixed is not None:
            return self.fixed
        if self.isolated:
            return self._cached(None)
        start = Path.cwd() if file.startswith("<") else Path(file).resolve().parent
        return self._cached(find_config(start))

    def _cached(self, path: Path | None) -> Settings:
        if path not in self._settings:
            self._settings[path] = load_config(path) if path is not None else Settings()
        return self._settings[path]

    def linter_for(self, file: str) -> Linter:
        settings = self.settings_for(file)
        extra = settings.ignores_for(file)
        key = (settings.path, extra)
        if key not in self._linters:
            self._linters[key] = build_linter(settings, self.overrides, extra)
        return self._linters[key]

    def default_linter(self) -> Linter:
        """The linter for a file in the current directory (rule metadata for reports)."""
        return self.linter_for(str(Path.cwd() / "_"))


# -- paths --------------------------------------------------------------------


def _relative(path: Path, root: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return PurePosixPath(Path(os.path.normpath(absolute)).relative_to(root)).as_posix()
    except ValueError:
        return PurePosixPath(path).as_posix()


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> regex.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append({"*": "[^/]*", "?": "[^/]"}.get(char, regex.escape(char)))
        i += 1
    return regex.compile("".join(out))


def glob_matches(pattern: str, relative: str) -> bool:
    """ruff-style: ``*`` stays within a folder, ``**`` crosses folders; a pattern
    without ``/`` also matches the bare file name anywhere."""
    pattern = pattern.removeprefix("./")
    if _glob_regex(pattern).fullmatch(relative):
        return True
    return "/" not in pattern and bool(_glob_regex(pattern).fullmatch(PurePosixPath(relative).name))


__all__ = [
    "CONFIG_NAMES",
    "ENGINE_SELECTORS",
    "Overrides",
    "Resolver",
    "Settings",
    "build_linter",
    "find_config",
    "glob_matches",
    "load_config",
    "parse_settings",
]

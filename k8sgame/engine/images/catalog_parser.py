"""Parsing the image catalog: ``parse_catalog`` checks a dict as ``yaml.safe_load`` gives it
(``assets/images.yaml`` or a level's ``images:``) and builds the model of ``catalog.py``;
every ``CatalogError`` names the image and the field."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from k8sgame.engine.images.catalog import (
    PARAM_TYPES,
    SHELLS,
    SIGNALS,
    STREAMS,
    TIME_FORMATS,
    UTILITIES,
    BoolVal,
    Catalog,
    CatalogError,
    EntrypointScript,
    ExitSpec,
    ImageEntry,
    ImageSpec,
    IntVal,
    InvalidParamSpec,
    LogSpec,
    MemorySpec,
    Num,
    ParamRef,
    ParamSpec,
    PortSpec,
    Program,
    Requirement,
    Route,
    StatusStep,
    StopSpec,
    StrVal,
    deep_merge,
    value_kind,
)

# -- parsing ---------------------------------------------------------------------------------

_IMAGE_KEYS = {
    "description",
    "extends",
    "tags",
    "size_bytes",
    "pull_seconds",
    "entrypoint",
    "cmd",
    "workdir",
    "user",
    "env",
    "stop_signal",
    "shell",
    "bash",
    "utilities",
    "curl",
    "ingress_controller",
    "idle_memory_mib",
    "vars",
    "files",
    "dirs",
    "entrypoint_script",
    "programs",
    "variants",
}
_PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
_PARAM_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FIXED_PLACEHOLDERS = {"pod_ip", "hostname"}
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class _Ctx:
    """Where we are while parsing, so every error names the image and the field."""

    def __init__(self, image: str, path: str = "", params: frozenset[str] = frozenset()):
        self.image, self.path, self.params = image, path, params

    def at(self, key: str | int) -> _Ctx:
        if isinstance(key, int):
            sub = f"{self.path}[{key}]"
        else:
            sub = f"{self.path}.{key}" if self.path else key
        return _Ctx(self.image, sub, self.params)

    def with_params(self, params: frozenset[str]) -> _Ctx:
        return _Ctx(self.image, self.path, params)

    def error(self, message: str) -> CatalogError:
        where = f"{self.path}: " if self.path else ""
        return CatalogError(f'image "{self.image}": {where}{message}')


def _mapping(value: Any, ctx: _Ctx, allowed: set[str] | None = None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ctx.error(f"must be a mapping, got {value_kind(value)}")
    for key in value:
        if not isinstance(key, str):
            raise ctx.error(f"keys must be strings, got {key!r}")
        if allowed is not None and key not in allowed:
            raise ctx.at(key).error(
                f"unknown field (expected one of: {', '.join(sorted(allowed))})"
            )
    return value


def _list(value: Any, ctx: _Ctx) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise ctx.error(f"must be a list, got {value_kind(value)}")
    return list(value)


def _str(value: Any, ctx: _Ctx, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise ctx.error(f"must be a string, got {value_kind(value)}")
    if not empty and not value:
        raise ctx.error("must not be empty")
    return value


def _str_list(value: Any, ctx: _Ctx) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(_str(v, ctx.at(i)) for i, v in enumerate(_list(value, ctx)))


def _bool(value: Any, ctx: _Ctx) -> bool:
    if not isinstance(value, bool):
        raise ctx.error(f"must be true or false, got {value_kind(value)}")
    return value


def _int(value: Any, ctx: _Ctx, *, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(f"must be an integer, got {value_kind(value)}")
    if low is not None and value < low:
        raise ctx.error(f"must be at least {low}, got {value}")
    if high is not None and value > high:
        raise ctx.error(f"must be at most {high}, got {value}")
    return value


def _float(value: Any, ctx: _Ctx, *, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.error(f"must be a number, got {value_kind(value)}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ctx.error("must be a finite number")
    if value < low:
        raise ctx.error(f"must be at least {low:g}, got {value}")
    return float(value)


def _ref(value: Any, ctx: _Ctx, *, negatable: bool = False) -> ParamRef | None:
    if isinstance(value, str) and (value.startswith("$") or (negatable and value.startswith("!$"))):
        negate = value.startswith("!")
        name = value[2:] if negate else value[1:]
        if name not in ctx.params:
            known = ", ".join(sorted(ctx.params)) or "none declared"
            raise ctx.error(f"refers to unknown parameter ${name} (parameters: {known})")
        return ParamRef(name, negate)
    return None


def _num(value: Any, ctx: _Ctx) -> Num:
    ref = _ref(value, ctx)
    return ref if ref is not None else _float(value, ctx)


def _int_or_ref(value: Any, ctx: _Ctx, **bounds: int) -> IntVal:
    ref = _ref(value, ctx)
    return ref if ref is not None else _int(value, ctx, **bounds)


def _bool_or_ref(value: Any, ctx: _Ctx) -> BoolVal:
    ref = _ref(value, ctx, negatable=True)
    return ref if ref is not None else _bool(value, ctx)


def _str_or_ref(value: Any, ctx: _Ctx) -> StrVal:
    ref = _ref(value, ctx)
    return ref if ref is not None else _str(value, ctx, empty=False)


def _choice(value: Any, ctx: _Ctx, choices: tuple[str, ...]) -> str:
    text = _str(value, ctx)
    if text not in choices:
        raise ctx.error(f"must be one of {', '.join(choices)}, got {text!r}")
    return text


def _check_text(text: str, ctx: _Ctx, extra: frozenset[str] = frozenset()) -> str:
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name in _FIXED_PLACEHOLDERS or name in ctx.params or name in extra:
            continue
        if name.startswith("env:") and _ENV_NAME.match(name[4:]):
            continue
        if name.startswith("var:") and _PARAM_NAME.match(name[4:]):
            continue
        if name.startswith("arg:") and name[4:].isdigit():
            continue
        if name.startswith("time:"):
            fmt, _, offset = name[5:].partition("@")
            if fmt in TIME_FORMATS:
                if not offset:
                    continue
                try:
                    float(offset)
                    continue
                except ValueError:
                    raise ctx.error(f"bad time offset in placeholder {{{{{name}}}}}") from None
            raise ctx.error(
                f"unknown time format in {{{{{name}}}}} (formats: {', '.join(TIME_FORMATS)})"
            )
        raise ctx.error(f"unknown placeholder {{{{{name}}}}}")
    return text


def _text_lines(text: str) -> list[str]:
    """Lines of a log text; a final newline ends the last line rather than adding one."""
    return (text[:-1] if text.endswith("\n") else text).split("\n")


_LOG_KEYS = {
    "at",
    "stream",
    "text",
    "if_env",
    "unless_env",
    "if_mounted",
    "unless_mounted",
    "if_user",
    "unless_user",
    "if_unwritable",
    "unless_unwritable",
}
_USERS = ("root", "nonroot")


def _logs(
    value: Any, ctx: _Ctx, stream: str, extra: frozenset[str] = frozenset()
) -> tuple[LogSpec, ...]:
    """Log lines; a bare string continues at the previous line's time on the default stream."""
    out: list[LogSpec] = []
    last_at: Num = 0.0
    for i, item in enumerate(_list(value, ctx)):
        c = ctx.at(i)
        if isinstance(item, str):
            for line in _text_lines(_check_text(item, c, extra)):
                out.append(LogSpec(last_at, stream, line))
            continue
        m = _mapping(item, c, _LOG_KEYS)
        if "text" not in m:
            raise c.error("missing required field text")
        at = _num(m["at"], c.at("at")) if "at" in m else last_at
        line_stream = _choice(m["stream"], c.at("stream"), STREAMS) if "stream" in m else stream
        text = _check_text(_str(m["text"], c.at("text")), c.at("text"), extra)
        conds = {
            k: _str_list(m[k], c.at(k)) for k in _LOG_KEYS & set(m) if k.startswith(("if", "un"))
        }
        for key in ("if_user", "unless_user"):
            bad = [u for u in conds.get(key, ()) if u not in _USERS]
            if bad:
                raise c.at(key).error(f"must be root or nonroot, got {bad[0]!r}")
        for line in _text_lines(text):
            out.append(LogSpec(at, line_stream, line, **conds))
        last_at = at
    return tuple(out)


_REQ_KINDS = (
    "env",
    "env_each",
    "file",
    "file_each",
    "arg",
    "connect_each",
    "api_each",
    "mkdir",
    "open",
)
_REQ_KEYS = {*_REQ_KINDS, "exit_code", "logs", "before_preamble"}


def _list_param(value: Any, ctx: _Ctx) -> str:
    """A ``$name`` reference to a list parameter."""
    ref = _ref(value, ctx) if isinstance(value, str) and value.startswith("$") else None
    if ref is None:
        raise ctx.error("must name a list parameter ($name)")
    return ref.name


def _requirements(value: Any, ctx: _Ctx, stream: str) -> tuple[Requirement, ...]:
    out: list[Requirement] = []
    before: set[int] = set()
    for i, item in enumerate(_list(value, ctx)):
        c = ctx.at(i)
        m = _mapping(item, c, _REQ_KEYS)
        kinds = [k for k in _REQ_KINDS if k in m]
        if len(kinds) != 1:
            raise c.error("needs exactly one of " + ", ".join(_REQ_KINDS))
        kind = kinds[0]
        exit_code = _int(m.get("exit_code", 1), c.at("exit_code"), low=0, high=255)
        logs = _logs(m.get("logs", []), c.at("logs"), stream, frozenset({"missing", "errno"}))
        raw = m[kind]
        if "before_preamble" in m:
            early = m["before_preamble"]
            if not isinstance(early, bool):
                raise c.at("before_preamble").error("must be true or false")
            if early:
                before.add(len(out))
        if kind in ("connect_each", "api_each"):
            param = _list_param(raw, c.at(kind))
            out.append(Requirement(kind, param=param, exit_code=exit_code, logs=logs))
        elif kind in ("env_each", "file_each") and isinstance(raw, str) and raw.startswith("$"):
            ref = _ref(raw, c.at(kind))
            assert ref is not None
            out.append(Requirement(kind, param=ref.name, exit_code=exit_code, logs=logs))
        elif kind in ("env", "env_each", "file_each"):
            names = _str_list(raw, c.at(kind))
            if not names:
                raise c.at(kind).error("must name at least one entry")
            out.append(Requirement(kind, names=names, exit_code=exit_code, logs=logs))
        elif kind in ("file", "mkdir", "open"):
            path = _str(raw, c.at(kind), empty=False)
            out.append(Requirement(kind, path=path, exit_code=exit_code, logs=logs))
        else:
            arg = _str(raw, c.at(kind), empty=False)
            out.append(Requirement(kind, arg=arg, exit_code=exit_code, logs=logs))
    return tuple(
        dataclasses.replace(req, before_preamble=True) if i in before else req
        for i, req in enumerate(out)
    )


def _params(value: Any, ctx: _Ctx) -> tuple[ParamSpec, ...]:
    out = []
    keys = {"type", "default", "env", "flag", "file", "pattern"}
    for name, spec in _mapping(value, ctx).items():
        c = ctx.at(name)
        if not _PARAM_NAME.match(name):
            raise c.error("parameter names are lowercase letters, digits and _")
        m = _mapping(spec, c, keys)
        ptype = _choice(m.get("type", "str"), c.at("type"), PARAM_TYPES)
        default = m.get("default")
        if default is not None:
            default = _convert_default(ptype, default, c.at("default"))
        env = _str(m["env"], c.at("env"), empty=False) if "env" in m else None
        flag = _str(m["flag"], c.at("flag"), empty=False) if "flag" in m else None
        file = _str(m["file"], c.at("file"), empty=False) if "file" in m else None
        pattern = _str(m["pattern"], c.at("pattern"), empty=False) if "pattern" in m else None
        if (file is None) != (pattern is None):
            raise c.error("file and pattern go together")
        if pattern is not None:
            try:
                if re.compile(pattern).groups != 1:
                    raise c.at("pattern").error("needs exactly one capturing group")
            except re.error as exc:
                raise c.at("pattern").error(f"is not a valid regex: {exc}") from None
        out.append(ParamSpec(name, ptype, default, env, flag, file, pattern))
    return tuple(out)


def _convert_default(ptype: str, value: Any, ctx: _Ctx) -> Any:
    if ptype == "int":
        return _int(value, ctx)
    if ptype in ("float", "seconds"):
        return _float(value, ctx, low=float("-inf") if ptype == "float" else 0.0)
    if ptype == "bool":
        return _bool(value, ctx)
    if ptype == "list":
        return _str_list(value, ctx)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return _str(value, ctx)


def _steps(value: Any, ctx: _Ctx) -> tuple[StatusStep, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        return (StatusStep(0.0, _int(value, ctx, low=100, high=599)),)
    out = []
    for i, item in enumerate(_list(value, ctx)):
        c = ctx.at(i)
        m = _mapping(item, c, {"after", "status", "latency"})
        if "status" not in m:
            raise c.error("missing required field status")
        latency = _num(m["latency"], c.at("latency")) if "latency" in m else None
        out.append(
            StatusStep(
                _num(m.get("after", 0), c.at("after")),
                _int(m["status"], c.at("status"), low=100, high=599),
                latency,
            )
        )
    if not out:
        raise ctx.error("needs at least one step")
    return tuple(out)


def _ports(value: Any, ctx: _Ctx) -> tuple[PortSpec, ...]:
    keys = {
        "port",
        "protocol",
        "after",
        "default_status",
        "default_body",
        "latency",
        "routes",
        "not_http_error",
    }
    out = []
    for i, item in enumerate(_list(value, ctx)):
        c = ctx.at(i)
        m = _mapping(item, c, keys)
        if "port" not in m:
            raise c.error("missing required field port")
        routes = []
        for j, r in enumerate(_list(m.get("routes", []), c.at("routes"))):
            rc = c.at("routes").at(j)
            rm = _mapping(r, rc, {"path", "status", "prefix", "latency", "body", "needs"})
            if "path" not in rm:
                raise rc.error("missing required field path")
            routes.append(
                Route(
                    path=_str_or_ref(rm["path"], rc.at("path")),
                    steps=_steps(rm.get("status", 200), rc.at("status")),
                    prefix=_bool(rm.get("prefix", False), rc.at("prefix")),
                    latency=_num(rm.get("latency", 0.002), rc.at("latency")),
                    body=_check_text(_str(rm["body"], rc.at("body")), rc.at("body"))
                    if "body" in rm
                    else None,
                    needs=_list_param(rm["needs"], rc.at("needs")) if "needs" in rm else None,
                )
            )
        out.append(
            PortSpec(
                port=_int_or_ref(m["port"], c.at("port"), low=1, high=65535),
                protocol=_choice(m.get("protocol", "http"), c.at("protocol"), ("http", "tcp")),
                after=_num(m.get("after", 0), c.at("after")),
                default_status=_int(
                    m.get("default_status", 404), c.at("default_status"), low=100, high=599
                ),
                latency=_num(m.get("latency", 0.002), c.at("latency")),
                routes=tuple(routes),
                not_http_error=_str(m.get("not_http_error", "EOF"), c.at("not_http_error")),
                default_body=_check_text(
                    _str(m["default_body"], c.at("default_body")), c.at("default_body")
                )
                if "default_body" in m
                else None,
            )
        )
    return tuple(out)


_PROGRAM_KEYS = {
    "paths",
    "subcommand",
    "params",
    "stream",
    "preamble",
    "requires",
    "logs",
    "ports",
    "memory",
    "cpu_millicores",
    "exit",
    "stop",
    "invalid_param",
}


def _program(value: Any, ctx: _Ctx) -> Program:
    m = _mapping(value, ctx, _PROGRAM_KEYS)
    if "paths" not in m:
        raise ctx.error("missing required field paths")
    paths = _paths(m["paths"], ctx.at("paths"))
    params = _params(m.get("params", {}), ctx.at("params"))
    ctx = ctx.with_params(frozenset(p.name for p in params))
    stream = _choice(m.get("stream", "stdout"), ctx.at("stream"), STREAMS)
    mem = _mapping(
        m.get("memory", {}), ctx.at("memory"), {"mib", "leak_mib_per_minute", "ramp_seconds"}
    )
    mc = ctx.at("memory")
    memory = MemorySpec(
        mib=_num(mem.get("mib", 8.0), mc.at("mib")),
        leak_mib_per_minute=_num(mem.get("leak_mib_per_minute", 0.0), mc.at("leak_mib_per_minute")),
        ramp_seconds=_float(mem.get("ramp_seconds", 1.0), mc.at("ramp_seconds")),
    )
    exit_spec = None
    if m.get("exit") is not None:
        ec = ctx.at("exit")
        em = _mapping(m["exit"], ec, {"after", "code"})
        if "after" not in em:
            raise ec.error("missing required field after")
        exit_spec = ExitSpec(
            _num(em["after"], ec.at("after")),
            _int_or_ref(em.get("code", 0), ec.at("code"), low=0, high=255),
        )
    sc = ctx.at("stop")
    sm = _mapping(m.get("stop", {}), sc, {"exits", "exit_code", "seconds", "logs"})
    stop = StopSpec(
        exits=_bool_or_ref(sm.get("exits", True), sc.at("exits")),
        exit_code=_int_or_ref(sm.get("exit_code", 0), sc.at("exit_code"), low=0, high=255),
        seconds=_num(sm.get("seconds", 0.1), sc.at("seconds")),
        logs=_logs(sm.get("logs", []), sc.at("logs"), stream),
    )
    ic = ctx.at("invalid_param")
    im = _mapping(m.get("invalid_param", {}), ic, {"exit_code", "logs"})
    invalid_logs = im.get(
        "logs", [{"stream": "stderr", "text": 'invalid value "{{value}}" for {{source}}'}]
    )
    invalid = InvalidParamSpec(
        _int(im.get("exit_code", 1), ic.at("exit_code"), low=0, high=255),
        _logs(invalid_logs, ic.at("logs"), stream, frozenset({"name", "value", "source"})),
    )
    return Program(
        paths=paths,
        subcommand=_str(m["subcommand"], ctx.at("subcommand"), empty=False)
        if "subcommand" in m
        else None,
        params=params,
        preamble=_logs(m.get("preamble", []), ctx.at("preamble"), stream),
        requires=_requirements(m.get("requires", []), ctx.at("requires"), stream),
        logs=_logs(m.get("logs", []), ctx.at("logs"), stream),
        ports=_ports(m.get("ports", []), ctx.at("ports")),
        memory=memory,
        cpu_millicores=_int_or_ref(m.get("cpu_millicores", 1), ctx.at("cpu_millicores"), low=0),
        exit=exit_spec,
        stop=stop,
        invalid_param=invalid,
    )


def _paths(value: Any, ctx: _Ctx) -> tuple[str, ...]:
    paths = _str_list(value, ctx)
    if not paths:
        raise ctx.error("must list at least one path")
    for i, p in enumerate(paths):
        if not p.startswith("/"):
            raise ctx.at(i).error(f"must be an absolute path, got {p!r}")
    return paths


_SCRIPT_KEYS = {
    "paths",
    "runs_program_for",
    "flag_means_program",
    "seconds",
    "stream",
    "preamble",
    "requires",
    "logs",
    "exec_not_found",
}


def _script(value: Any, ctx: _Ctx) -> EntrypointScript:
    m = _mapping(value, ctx, _SCRIPT_KEYS)
    if "paths" not in m:
        raise ctx.error("missing required field paths")
    stream = _choice(m.get("stream", "stdout"), ctx.at("stream"), STREAMS)
    flag = m.get("flag_means_program")
    return EntrypointScript(
        paths=_paths(m["paths"], ctx.at("paths")),
        runs_program_for=_str_list(m.get("runs_program_for", []), ctx.at("runs_program_for")),
        flag_means_program=_str(flag, ctx.at("flag_means_program"), empty=False) if flag else None,
        seconds=_float(m.get("seconds", 0.0), ctx.at("seconds")),
        preamble=_logs(m.get("preamble", []), ctx.at("preamble"), stream),
        requires=_requirements(m.get("requires", []), ctx.at("requires"), stream),
        logs=_logs(m.get("logs", []), ctx.at("logs"), stream),
        exec_not_found=_check_text(
            _str(m.get("exec_not_found", ""), ctx.at("exec_not_found")),
            ctx.at("exec_not_found"),
            frozenset({"name"}),
        ),
    )


def _flatten(value: Any) -> Any:
    """One level of nested lists flattened: ``[*debian_dirs, /data]`` written with an alias."""
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            out.extend(item if isinstance(item, list) else [item])
        return out
    return value


def _argv(value: Any, ctx: _Ctx) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(_str(v, ctx.at(i)) for i, v in enumerate(_list(value, ctx)))


def _scalar_text(value: Any, ctx: _Ctx) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _str(value, ctx)


def parse_image(name: str, repository: str, m: Mapping[str, Any]) -> ImageSpec:
    """One image entry (or one tag variant of it, merged) as the model's ``ImageSpec``."""
    ctx = _Ctx(name)
    _mapping(m, ctx, _IMAGE_KEYS)
    tags = _str_list(m.get("tags", ["latest"]), ctx.at("tags"))
    if not tags:
        raise ctx.at("tags").error("must list at least one tag")
    env_map = _mapping(m.get("env", {}) or {}, ctx.at("env"))
    env = tuple((k, _scalar_text(v, ctx.at("env").at(k))) for k, v in env_map.items())
    for key, _ in env:
        if not _ENV_NAME.match(key):
            raise ctx.at("env").at(key).error("is not a valid environment variable name")
    files_map = _mapping(m.get("files", {}) or {}, ctx.at("files"))
    files = []
    for path, content in files_map.items():
        if not path.startswith("/"):
            raise ctx.at("files").at(path).error("paths must be absolute")
        files.append((path, _str(content, ctx.at("files").at(path))))
    vars_map = _mapping(m.get("vars", {}) or {}, ctx.at("vars"))
    image_vars = tuple((k, _scalar_text(v, ctx.at("vars").at(k))) for k, v in vars_map.items())
    dirs = _str_list(_flatten(m.get("dirs", [])), ctx.at("dirs"))
    for i, d in enumerate(dirs):
        if not d.startswith("/"):
            raise ctx.at("dirs").at(i).error("paths must be absolute")
    shell = m.get("shell")
    utilities = m.get("utilities")
    script = m.get("entrypoint_script")
    programs = tuple(
        _program(p, ctx.at("programs").at(i))
        for i, p in enumerate(_list(m.get("programs", []) or [], ctx.at("programs")))
    )
    spec = ImageSpec(
        name=name,
        repository=repository,
        description=_str(m.get("description", ""), ctx.at("description")),
        tags=tags,
        size_bytes=_int(m.get("size_bytes", 0), ctx.at("size_bytes"), low=0),
        pull_seconds=_float(m.get("pull_seconds", 1.0), ctx.at("pull_seconds")),
        entrypoint=_argv(m.get("entrypoint"), ctx.at("entrypoint")),
        cmd=_argv(m.get("cmd"), ctx.at("cmd")),
        workdir=_str(m.get("workdir", "/"), ctx.at("workdir"), empty=False),
        user=_str(m.get("user", "root"), ctx.at("user"), empty=False),
        env=env,
        stop_signal=_choice(m.get("stop_signal", "SIGTERM"), ctx.at("stop_signal"), SIGNALS),
        shell=_choice(shell, ctx.at("shell"), SHELLS) if shell is not None else None,
        bash=_bool(m.get("bash", False), ctx.at("bash")),
        utilities=_choice(utilities, ctx.at("utilities"), UTILITIES)
        if utilities is not None
        else None,
        curl=_version(m.get("curl"), ctx.at("curl")),
        ingress_controller=_optional_text(
            m.get("ingress_controller"), ctx.at("ingress_controller")
        ),
        idle_memory_mib=_float(m.get("idle_memory_mib", 0.5), ctx.at("idle_memory_mib")),
        vars=image_vars,
        files=tuple(files),
        dirs=dirs,
        entrypoint_script=_script(script, ctx.at("entrypoint_script"))
        if script is not None
        else None,
        programs=programs,
    )
    if spec.shell is None and spec.utilities is not None:
        raise ctx.at("utilities").error("an image without a shell cannot list utilities")
    return spec


def _optional_text(value: Any, ctx: _Ctx) -> str | None:
    """A non-empty string, or None when left out."""
    return None if value is None else _str(value, ctx, empty=False)


def _version(value: Any, ctx: _Ctx) -> str | None:
    """A program version such as ``8.14.1`` (its messages depend on it), or None."""
    if value is None:
        return None
    text = _str(value, ctx, empty=False)
    if not _VERSION.match(text):
        raise ctx.error(f"must be a version such as 8.14.1, got {value_kind(value)}")
    return text


def _resolve_extends(
    images: Mapping[str, Any], name: str, seen: tuple[str, ...]
) -> Mapping[str, Any]:
    body = images[name]
    ctx = _Ctx(name)
    if body is None:
        raise ctx.error("must be a mapping, got null")
    _mapping(body, ctx)
    parent = body.get("extends")
    if parent is None:
        return body
    _str(parent, ctx.at("extends"), empty=False)
    if parent not in images:
        raise ctx.at("extends").error(f"no image named {parent!r} in the catalog")
    if parent in seen:
        raise ctx.at("extends").error(f"circular extends: {' -> '.join((*seen, name, parent))}")
    base = _resolve_extends(images, parent, (*seen, name))
    child = {k: v for k, v in body.items() if k != "extends"}
    merged = deep_merge({k: v for k, v in base.items() if k != "variants"}, child)
    if "variants" not in body and "variants" in base:
        merged["variants"] = copy.deepcopy(base["variants"])
    return merged


def parse_catalog(data: Any) -> Catalog:
    """Validate a catalog as ``yaml.safe_load`` returns it (``{"images": {...}}``)."""
    from k8sgame.engine.images.reference import InvalidImageName, normalize_repository

    if not isinstance(data, Mapping):
        raise CatalogError(f"catalog: must be a mapping with an images key, got {value_kind(data)}")
    # "x-..." keys hold YAML anchors shared between images (as in docker compose files).
    unknown = {k for k in data if not (isinstance(k, str) and k.startswith("x-"))}
    unknown -= {"version", "images"}
    if unknown:
        raise CatalogError(f"catalog: unknown top-level key {sorted(map(str, unknown))[0]!r}")
    images = data.get("images")
    if not isinstance(images, Mapping):
        raise CatalogError(f"catalog: images must be a mapping, got {value_kind(images)}")
    entries: list[ImageEntry] = []
    seen: dict[str, str] = {}
    for name in images:
        if not isinstance(name, str):
            raise CatalogError(f"catalog: image names must be strings, got {name!r}")
        try:
            repository = normalize_repository(name)
        except InvalidImageName as exc:
            raise CatalogError(
                f'image "{name}": not a valid repository name: {exc.detail}'
            ) from None
        if repository in seen:
            raise CatalogError(
                f'image "{name}": same repository as image "{seen[repository]}" ({repository})'
            )
        seen[repository] = name
        body = _resolve_extends(images, name, ())
        base_body = {k: v for k, v in body.items() if k != "variants"}
        base = parse_image(name, repository, base_body)
        variants = []
        for i, variant in enumerate(_list(body.get("variants", []) or [], _Ctx(name, "variants"))):
            vctx = _Ctx(name, "variants").at(i)
            vm = _mapping(variant, vctx)
            if "tags" not in vm:
                raise vctx.error("missing required field tags")
            patterns = _str_list(vm["tags"], vctx.at("tags"))
            override = {k: v for k, v in vm.items() if k != "tags"}
            for key in override:
                if key not in _IMAGE_KEYS - {"extends", "variants", "tags"}:
                    raise vctx.at(key).error("unknown field or not allowed in a variant")
            variants.append((patterns, override))
        entry = ImageEntry(name, repository, base, tuple(variants), base_body)
        # Build every variant alone and every literal tag's combination now, so bad data
        # fails at load time, not when a pod first pulls that tag.
        for i in range(len(variants)):
            entry._specs.setdefault((i,), entry._build((i,)))
        for tag in entry.literal_tags:
            entry.spec_for_tag(tag)
        entries.append(entry)
    entries.sort(key=lambda e: e.repository)
    return Catalog(tuple(entries), copy.deepcopy(dict(images)))

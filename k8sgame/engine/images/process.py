"""A planned run of one container instance: what it logs, serves, uses and when it exits.

``plan_process`` turns an image spec, the pod's ``command``/``args``, the resolved env and the
mounted files into a ``Process``. Nothing runs for real and nothing reads the clock: the
process is a deterministic timeline in seconds after the container started, produced lazily
by the shell interpreter (``shell.py``) and the image's programs, so an endless loop costs
only what is asked of it.

Docker/containerd semantics: ``command`` replaces ENTRYPOINT (and drops CMD), ``args``
replaces CMD; a missing executable is a start error with runc's text (kubelet.md §7); the
image's stop signal reaches the program only when it is PID 1 (an entrypoint ``exec``, or
the last command of ``sh -c``); a shell or ``sleep`` as PID 1 ignores it until SIGKILL (137).

``exec`` runs a command inside the container at a moment, seeing the files as they are then.
Files it changes stay changed for the rest of the timeline (``kubectl exec ... touch
/tmp/ready`` works), so ``exit_at`` can change after such an exec.

Volumes other containers share (``SharedVolumes``, kept by the kubelet) are read as they are
now by ``exec`` and at the start; the process's own writes to them are handed out through
``file_changes``, and what others write arrives through ``receive``.
"""

from __future__ import annotations

import bisect
import math
import posixpath
import re
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from k8sgame.engine.images.catalog import (
    EntrypointScript,
    ImageSpec,
    LogSpec,
    ParamRef,
    ParamSpec,
    Program,
    Requirement,
    render_time,
)
from k8sgame.engine.images.dial import dial
from k8sgame.engine.images.identity import ROOT, Identity, RunAs, resolve_identity
from k8sgame.engine.images.shell import (
    ERRNO,
    Event,
    FileEvent,
    FileSystem,
    Forever,
    LogEvent,
    MountedTree,
    NeverEndsEvent,
    PeriodicEvent,
    Run,
    Shell,
    Stage,
    StageEvent,
    StartError,
    TickEvent,
    ToCapture,
    WaitEvent,
    binary_table,
)

MAX_LOG_LINES = 10_000
EXEC_HORIZON = 300.0  # seconds an exec is followed before it counts as never ending
EXEC_OUTPUT_CAP = 64 * 1024
EXIT_SEARCH_STEPS = 20_000  # events examined to find when a process ends (then: forever)
MIB = 1024 * 1024
_EPS = 1e-9
_PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")

RUNC_CREATE = (
    "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
    "runc create failed: unable to start container process: error during container init: "
)
RUNC_EXEC = "OCI runtime exec failed: exec failed: unable to start container process: "


@dataclass(frozen=True)
class LogLine:
    at: float  # seconds after the container started
    stream: str  # "stdout" | "stderr"
    text: str


@dataclass(frozen=True)
class HttpResult:
    status: int | None  # None = connection refused (nothing listening on that port then)
    latency: float  # seconds the response takes
    body: str | None = None
    # Set when something listens but does not speak HTTP (a tcp port): Go's error suffix.
    error: str | None = None


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    output: str  # combined stdout+stderr, raw (with its trailing newline)
    duration: float  # seconds the command takes (math.inf: it never ends)
    changed: bool = False  # it wrote to the container's files


@dataclass(frozen=True)
class StopBehaviour:
    exits_on_signal: bool  # False: ignores the stop signal until SIGKILL (exit 137)
    exit_code: int  # exit code when it exits on the stop signal
    seconds: float  # how long after the signal it exits
    signal: str = "SIGTERM"


IGNORES_SIGNAL = StopBehaviour(False, 137, 0.0)


@dataclass(frozen=True)
class Route:
    path: str
    prefix: bool
    steps: tuple[tuple[float, int, float], ...]  # (after, status, latency), sorted by after
    body: str | None
    needs: tuple[str, ...] = ()  # host:port dependencies: 503 while one is unreachable


@dataclass(frozen=True)
class Port:
    port: int
    protocol: str
    after: float
    default_status: int
    latency: float
    routes: tuple[Route, ...]
    not_http_error: str
    default_body: str | None = None


@dataclass(frozen=True)
class ProgramRun:
    """One program's resolved behaviour; times are seconds after the program started."""

    program: Program
    params: Mapping[str, Any]
    ports: tuple[Port, ...] = ()
    exit: tuple[float, int] | None = None
    memory_mib: float = 0.0
    leak_mib_per_second: float = 0.0
    ramp_seconds: float = 1.0
    cpu_millis: int = 0
    stop: StopBehaviour = IGNORES_SIGNAL
    stop_lines: tuple[LogSpec, ...] = ()
    render: Callable[[str, float], str] | None = field(default=None, compare=False, repr=False)

    def memory_bytes(self, elapsed: float) -> float:
        ramp = min(1.0, elapsed / self.ramp_seconds) if self.ramp_seconds > 0 else 1.0
        return (self.memory_mib * ramp + self.leak_mib_per_second * max(0.0, elapsed)) * MIB

    def first_over(self, limit: float) -> float | None:
        """First elapsed time at which memory exceeds ``limit`` bytes (ignores the exit)."""
        steady, leak, ramp = (
            self.memory_mib * MIB,
            self.leak_mib_per_second * MIB,
            self.ramp_seconds,
        )
        if ramp > 0:
            rate = steady / ramp + leak
            if rate > 0 and limit / rate <= ramp:
                return limit / rate
        elif steady > limit:
            return 0.0
        if leak > 0:
            return max(ramp, (limit - steady) / leak)
        return None


class SharedVolumes(Protocol):
    """The container's mounts of volumes that outlive it or that other containers share (the
    kubelet keeps their data)."""

    def contents(self) -> Sequence[MountedTree]:
        """What each such mount holds now."""
        ...

    def wrote(self, changes: Sequence[FileEvent]) -> None:
        """A command run in the container (``exec``) made ``changes`` (times after the
        container started)."""
        ...


# ---------------------------------------------------------------------------------------------
# Parameters and text


class _BadParam(Exception):
    def __init__(self, spec: ParamSpec, value: str, source: str):
        super().__init__(spec.name)
        self.spec, self.value, self.source = spec, value, source


def _convert(spec: ParamSpec, raw: str, source: str) -> Any:
    text = raw.strip()
    try:
        if spec.type == "int":
            return int(text)
        if spec.type in ("float", "seconds"):
            unit = 1.0
            if spec.type == "seconds" and text[-1:] in ("s", "m", "h"):
                unit = {"s": 1.0, "m": 60.0, "h": 3600.0}[text[-1]]
                text = text[:-1]
            value = float(text) * unit
            if not math.isfinite(value) or (spec.type == "seconds" and value < 0):
                raise ValueError
            return value
        if spec.type == "bool":
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if spec.type == "list":
            return tuple(p.strip() for p in raw.split(",") if p.strip())
    except (ValueError, IndexError):
        raise _BadParam(spec, raw, source) from None
    return raw


def _flag_value(flag: str, argv: list[str]) -> str | None:
    for index, arg in enumerate(argv[1:], start=1):
        if arg == flag and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1 :]
    return None


def resolve_params(
    program: Program, argv: list[str], env: Mapping[str, str], fs: FileSystem
) -> dict[str, Any]:
    """Each parameter's value: flag, then env, then a mounted/config file, then the default."""
    values: dict[str, Any] = {}
    for spec in program.params:
        value: Any = spec.default
        if spec.flag and (raw := _flag_value(spec.flag, argv)) is not None:
            value = _convert(spec, raw, spec.flag)
        elif spec.env and env.get(spec.env, "") != "":
            value = _convert(spec, env[spec.env], spec.env)
        elif spec.file and spec.pattern:
            if spec.file.endswith("/"):
                candidates = sorted(p for p in fs.files if p.startswith(spec.file))
            else:
                candidates = [spec.file]
            for path in candidates:
                match = re.search(spec.pattern, fs.read(path) or "", re.MULTILINE)
                if match:
                    value = _convert(spec, match.group(1), path)
                    break
        values[spec.name] = value
    return values


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def _value(value: Any, params: Mapping[str, Any]) -> Any:
    if not isinstance(value, ParamRef):
        return value
    found = params.get(value.name)
    return (not found) if value.negate and found is not None else found


# ---------------------------------------------------------------------------------------------
# The planner: turns a program or an entrypoint script into a Stage for the shell


class _Planner:
    """Implements ``shell.Host`` for one container instance."""

    def __init__(
        self, image: ImageSpec, started_at: float, pod_ip: str, stdin: bool, mounted: set[str]
    ):
        self.image = image
        self.started_at = started_at
        self.pod_ip = pod_ip
        self.stdin = stdin
        self.mounted = mounted
        self.vars = dict(image.vars)
        # The pod's network (set by plan_process): what a program's own dials reach.
        self.net: Any = None
        # The pod's API access (set by plan_process): ``(request, files) -> error``.
        self.api: Callable[[str, Any], str] | None = None
        # Who the container's processes run as (set by plan_process).
        self.identity: Identity = ROOT
        # The files the stage being planned sees (``if_unwritable`` log conditions).
        self._fs: FileSystem | None = None

    def render(
        self,
        text: str,
        at: float,
        stage_start: float,
        params: Mapping[str, Any],
        env: Mapping[str, str],
        extra: Mapping[str, str] | None = None,
    ) -> str:
        """Fill ``{{...}}`` placeholders; ``at``/``stage_start`` are seconds after container start."""

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if extra and name in extra:
                return extra[name]
            if name in params:
                return _show(params[name])
            if name.startswith("env:"):
                return env.get(name[4:], "")
            if name.startswith("time:"):
                fmt, _, offset = name[5:].partition("@")
                moment = stage_start + float(offset) if offset else at
                return render_time(fmt, self.started_at + moment)
            if name.startswith("var:"):
                return self.vars.get(name[4:], "")
            if name == "pod_ip":
                return self.pod_ip
            if name == "hostname":
                return env.get("HOSTNAME") or "localhost"
            return match.group(0)

        return _PLACEHOLDER.sub(sub, text)

    def _lines(
        self,
        specs: Iterable[LogSpec],
        offset: float,
        start: float,
        params: Mapping[str, Any],
        env: Mapping[str, str],
        extra: Mapping[str, str] | None = None,
    ) -> list[tuple[float, str, str]]:
        out = []
        for spec in specs:
            if not self._wanted(spec, env):
                continue
            at = _value(spec.at, params)
            if at is None:
                continue
            rel = offset + float(at)
            out.append(
                (rel, spec.stream, self.render(spec.text, start + rel, start, params, env, extra))
            )
        return out

    def _wanted(self, spec: LogSpec, env: Mapping[str, str]) -> bool:
        def env_ok(cond: str) -> bool:
            name, eq, value = cond.partition("=")
            return env.get(name, "") == value if eq else env.get(name, "") != ""

        return (
            all(env_ok(c) for c in spec.if_env)
            and not any(env_ok(c) for c in spec.unless_env)
            and all(p in self.mounted for p in spec.if_mounted)
            and not any(p in self.mounted for p in spec.unless_mounted)
            and all(self._who() == u for u in spec.if_user)
            and not any(self._who() == u for u in spec.unless_user)
            and all(self._unwritable(p) for p in spec.if_unwritable)
            and not any(self._unwritable(p) for p in spec.unless_unwritable)
        )

    def _who(self) -> str:
        return "root" if self.identity.uid == 0 else "nonroot"

    def _unwritable(self, path: str) -> bool:
        return self._fs is not None and self._fs.write_problem(path) is not None

    def _check(
        self,
        reqs: Iterable[Requirement],
        argv: list[str],
        env: Mapping[str, str],
        fs: FileSystem,
        params: Mapping[str, Any],
        at: float = 0.0,
    ) -> tuple[Requirement, str, float] | None:
        """The first failing requirement, what is missing and how long finding it out took
        (a dial's wait), or None. ``at``: seconds after the start."""
        for req in reqs:
            if req.kind == "api_each":
                for request in params.get(req.param or "") or ():
                    if self.api is None:
                        continue  # planned outside a cluster: no API server to ask
                    error = self.api(str(request), fs)
                    if error:
                        return req, error, 0.0
                continue
            if req.kind == "connect_each":
                for target in params.get(req.param or "") or ():
                    if self.net is None:
                        continue  # planned outside a cluster: nothing to dial
                    result = dial(self.net, fs, self.pod_ip, str(target), self.started_at + at)
                    if not result.ok:
                        return req, result.error, result.seconds
                continue
            if req.kind == "env":
                ok = False
                for cond in req.names:
                    name, eq, value = cond.partition("=")
                    ok = ok or (env.get(name, "") == value if eq else env.get(name, "") != "")
                if not ok:
                    return req, req.names[0].partition("=")[0], 0.0
            elif req.kind in ("env_each", "file_each"):
                names = params.get(req.param) if req.param else req.names
                for name in names or ():
                    present = env.get(name, "") != "" if req.kind == "env_each" else fs.exists(name)
                    if not present:
                        return req, name, 0.0
            elif req.kind == "file":
                if not fs.exists(req.path):
                    return req, req.path, 0.0
            elif req.kind in ("mkdir", "open"):
                problem = _create_problem(fs, req.path, req.kind == "mkdir")
                if problem:
                    return req, req.path, 0.0
            elif not any(req.arg in arg for arg in argv[1:]):
                return req, req.arg, 0.0
        return None

    def stage(
        self,
        kind: str,
        target: Any,
        argv: list[str],
        env: dict[str, str],
        fs: FileSystem,
        at: float,
    ) -> Stage:
        self._fs = fs
        if kind == "entrypoint":
            return self._script(target, argv, env, fs, at)
        return self._program(target, argv, env, fs, at)

    def _script(
        self,
        script: EntrypointScript,
        argv: list[str],
        env: dict[str, str],
        fs: FileSystem,
        at: float,
    ) -> Stage:
        rest = list(argv[1:])
        if script.flag_means_program and rest and rest[0].startswith("-"):
            rest = [script.flag_means_program, *rest]
        wanted = script.runs_program_for or self.image.binaries
        not_found = self.render(script.exec_not_found, at, at, {}, env, {"name": "{{name}}"})
        if not rest or (posixpath.basename(rest[0]) not in wanted and rest[0] not in wanted):
            return Stage(then_exec=tuple(rest), exec_not_found=not_found)
        params: dict[str, Any] = {}
        early, late = _split(script.requires)
        failed = self._check(early, argv, env, fs, params, at)
        lines = [] if failed else self._lines(script.preamble, 0.0, at, params, env)
        check_at = max((rel for rel, _, _ in lines), default=0.0)
        failed = failed or self._check(late, argv, env, fs, params, at)
        if failed:
            req, missing, took = failed
            extra = _failure_extra(req, missing, fs)
            lines += self._lines(req.logs, check_at + took, at, params, env, extra)
            end = max((rel for rel, _, _ in lines), default=check_at)
            return Stage(tuple(_sorted(lines)), exit=(end, req.exit_code))
        lines += self._lines(script.logs, 0.0, at, params, env)
        seconds = max(
            float(_value(script.seconds, params)), max((rel for rel, _, _ in lines), default=0.0)
        )
        return Stage(
            tuple(_sorted(lines)), then_exec=tuple(rest), seconds=seconds, exec_not_found=not_found
        )

    def _program(
        self, program: Program, argv: list[str], env: dict[str, str], fs: FileSystem, at: float
    ) -> Stage:
        args = {f"arg:{i}": a for i, a in enumerate(argv)}
        try:
            params = {**args, **resolve_params(program, argv, env, fs)}
        except _BadParam as bad:
            extra = {"name": bad.spec.name, "value": bad.value, "source": bad.source}
            lines = self._lines(program.invalid_param.logs, 0.0, at, {}, env, extra)
            end = max((rel for rel, _, _ in lines), default=0.0)
            return Stage(tuple(_sorted(lines)), exit=(end, program.invalid_param.exit_code))
        early, late = _split(program.requires)
        failed = self._check(early, argv, env, fs, params, at)
        lines = [] if failed else self._lines(program.preamble, 0.0, at, params, env)
        check_at = max((rel for rel, _, _ in lines), default=0.0)
        failed = failed or self._check(late, argv, env, fs, params, at)
        if failed:
            req, missing, took = failed
            extra = _failure_extra(req, missing, fs)
            lines += self._lines(req.logs, check_at + took, at, params, env, extra)
            end = max((rel for rel, _, _ in lines), default=check_at)
            memory = float(_value(program.memory.mib, params) or 0.0)
            run = ProgramRun(program, params, exit=(end, req.exit_code), memory_mib=memory)
            return Stage(tuple(_sorted(lines)), exit=(end, req.exit_code), run=run)
        lines += self._lines(program.logs, 0.0, at, params, env)
        run = self._program_run(program, params, env, at)
        return Stage(tuple(_sorted(lines)), exit=run.exit, run=run)

    def _program_run(
        self, program: Program, params: dict[str, Any], env: dict[str, str], at: float
    ) -> ProgramRun:
        ports = []
        for spec in program.ports:
            number = _value(spec.port, params)
            after = _value(spec.after, params)
            if number is None or after is None:
                continue
            routes = []
            for route in spec.routes:
                path = _value(route.path, params)
                if not path:
                    continue
                steps = []
                for step in route.steps:
                    when = _value(step.after, params)
                    if when is None:
                        continue
                    latency = _value(step.latency, params) if step.latency is not None else None
                    if latency is None:
                        latency = _value(route.latency, params) or 0.0
                    steps.append((float(when), step.status, float(latency)))
                steps.sort(key=lambda s: s[0])
                body = (
                    self.render(route.body, at, at, params, env) if route.body is not None else None
                )
                needs = tuple(str(n) for n in params.get(route.needs) or ()) if route.needs else ()
                routes.append(Route(str(path), route.prefix, tuple(steps), body, needs))
            ports.append(
                Port(
                    int(number),
                    spec.protocol,
                    float(after),
                    spec.default_status,
                    float(_value(spec.latency, params) or 0.0),
                    tuple(routes),
                    spec.not_http_error,
                    self.render(spec.default_body, at, at, params, env)
                    if spec.default_body is not None
                    else None,
                )
            )
        exit_spec = None
        if program.exit is not None:
            after = _value(program.exit.after, params)
            code = _value(program.exit.code, params)
            if after is not None:
                exit_spec = (float(after), int(code if code is not None else 0))
        stop = program.stop
        exits = _value(stop.exits, params)
        behaviour = StopBehaviour(
            bool(exits) if exits is not None else True,
            int(_value(stop.exit_code, params) or 0),
            float(_value(stop.seconds, params) or 0.0),
            self.image.stop_signal,
        )
        if not behaviour.exits_on_signal:
            behaviour = StopBehaviour(False, 137, 0.0, self.image.stop_signal)

        def render_stop(text: str, when: float) -> str:
            return self.render(text, when, when, params, env)

        return ProgramRun(
            program,
            params,
            ports=tuple(ports),
            exit=exit_spec,
            memory_mib=float(_value(program.memory.mib, params) or 0.0),
            leak_mib_per_second=float(_value(program.memory.leak_mib_per_minute, params) or 0.0)
            / 60.0,
            ramp_seconds=program.memory.ramp_seconds,
            cpu_millis=int(_value(program.cpu_millicores, params) or 0),
            stop=behaviour,
            stop_lines=tuple(s for s in stop.logs if self._wanted(s, env)),
            render=render_stop,
        )


_ERRNO_NUMBERS = {"ENOENT": 2, "EACCES": 13, "EROFS": 30, "EISDIR": 21, "ENOTDIR": 20}


def _create_problem(fs: FileSystem, path: str, directory: bool) -> str | None:
    """Why a program cannot create the directory (or open for writing the file) ``path``,
    as an errno name, or None (an existing directory is fine for mkdir)."""
    path = posixpath.normpath(path)
    if directory:
        if fs.is_dir(path):
            return None
        # The directories above it come with the program's package (/var/cache/nginx): the
        # first one missing in the simulated image is where the write happens.
        while not fs.is_dir(posixpath.dirname(path)) and posixpath.dirname(path) != path:
            path = posixpath.dirname(path)
            if fs.is_file(path):
                return "ENOTDIR"
        return fs.write_problem(path)
    if fs.is_dir(path):
        return "EISDIR"
    parent = posixpath.dirname(path)
    if not fs.is_dir(parent):
        return "ENOTDIR" if fs.is_file(parent) else "ENOENT"
    return fs.write_problem(path)


def _failure_extra(req: Requirement, missing: str, fs: FileSystem) -> dict[str, str]:
    """Placeholders of a failed requirement's lines: {{missing}}, and {{errno}} for
    mkdir/open ("13: Permission denied", as strerror and nginx show it)."""
    extra = {"missing": missing}
    if req.kind in ("mkdir", "open"):
        problem = _create_problem(fs, req.path, req.kind == "mkdir") or "EACCES"
        extra["errno"] = f"{_ERRNO_NUMBERS.get(problem, 0)}: {ERRNO[problem]}"
    return extra


def _split(reqs: Sequence[Requirement]) -> tuple[list[Requirement], list[Requirement]]:
    """The requirements checked before the preamble, and the others."""
    return [r for r in reqs if r.before_preamble], [r for r in reqs if not r.before_preamble]


def _sorted(lines: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    return sorted(lines, key=lambda line: line[0])


# ---------------------------------------------------------------------------------------------
# The process


@dataclass(frozen=True)
class _End:
    at: float
    code: int | None  # None: blocks forever


@dataclass(frozen=True)
class _StageSpan:
    at: float
    run: ProgramRun
    pid1: bool

    @property
    def end(self) -> float:
        return self.at + self.run.exit[0] if self.run.exit is not None else math.inf

    def active(self, at: float) -> bool:
        return self.at <= at < self.end


class Process:
    """One container instance's planned life. Times are seconds after it started."""

    def __init__(
        self,
        image: ImageSpec,
        argv: list[str],
        env: dict[str, str],
        fs: FileSystem,
        planner: _Planner,
        start_error: str | None = None,
        volumes: SharedVolumes | None = None,
        net: Any = None,
        clock: Callable[[], float] | None = None,
    ):
        self.image = image
        self.argv = list(argv)
        self.env = dict(env)
        self.volumes = volumes
        # The pod's network and the cluster's clock (absolute seconds): the process's own
        # client programs reach the network as it is when they run.
        self.net = net
        self.clock = clock
        self._base_fs = fs
        self._planner = planner
        self._table = binary_table(image)
        self._overlay: list[FileEvent] = []
        self.start_error = start_error
        self._reset()
        if self.start_error is None:
            try:
                self._peek()
            except StartError as exc:
                self.start_error = _start_error_text(str(exc), self.argv[0], fs)

    # -- lazy timeline ----------------------------------------------------------------------

    def _reset(self) -> None:
        self._gen: Generator[Event | _End, None, None] | None = None
        self._pending: Event | _End | None = None
        self._lines: list[LogLine] = []
        self._line_times: list[float] = []
        self._files: list[FileEvent] = []
        self._file_times: list[float] = []
        self._stages: list[_StageSpan] = []
        self._periodic: PeriodicEvent | None = None
        self._end: _End | None = None
        self._never_ends = False
        self._last_at = 0.0
        # The plan stops at a network call the cluster has not reached yet (seconds after
        # the start), or None.
        self._waiting: float | None = None

    def _timeline(self) -> Generator[Event | _End, None, None]:
        run = Run(
            self._planner,
            self._base_fs.copy(),
            overlay=list(self._overlay),
            table=self._table,
            net=self.net,
            clock=self.clock,
        )
        runtime = Shell(run, self.env, arg0=self.argv[0], is_shell=False, pid1=True)
        code: int | None
        try:
            code = yield from runtime.run_argv(self.argv)
        except Forever:
            code = None
        for stream in ("stdout", "stderr"):
            if run.partial[stream]:
                yield LogEvent(run.now, stream, run.partial[stream])
        yield _End(run.now, code)

    def _peek(self) -> Event | _End | None:
        if self._pending is None and self._end is None:
            if self._gen is None:
                self._gen = self._timeline()
            self._pending = next(self._gen)
        return self._pending

    def _advance(self, until: float, budget: int | None = None) -> None:
        """Consume every event at or before ``until`` (or until the budget runs out)."""
        if self.start_error is not None:
            return
        steps = 0
        while self._end is None:
            event = self._peek()
            assert event is not None
            if event.at > until + _EPS:
                return
            if isinstance(event, WaitEvent) and not self._reached(event.at):
                self._waiting = event.at
                return
            self._waiting = None
            self._pending = None
            self._consume(event)
            steps += 1
            if budget is not None and (steps >= budget or self._never_ends):
                return

    def _consume(self, event: Event | _End) -> None:
        self._last_at = event.at
        if isinstance(event, LogEvent):
            self._lines.append(LogLine(event.at, event.stream, event.text))
            self._line_times.append(event.at)
        elif isinstance(event, FileEvent):
            self._files.append(event)
            self._file_times.append(event.at)
        elif isinstance(event, StageEvent):
            self._stages.append(_StageSpan(event.at, event.run, event.pid1))
        elif isinstance(event, NeverEndsEvent):
            self._never_ends = True
        elif isinstance(event, PeriodicEvent):
            self._periodic = event
        elif isinstance(event, _End):
            self._end = event
        elif isinstance(event, TickEvent | WaitEvent):
            pass

    def _reached(self, at: float) -> bool:
        """Whether the cluster's clock has reached ``at`` seconds after the start."""
        return self.clock is None or self._planner.started_at + at <= self.clock() + _EPS

    @property
    def waiting_at(self) -> float | None:
        """Seconds after the start at which the plan waits for the cluster (a network call
        not made yet): how it goes on is known only then. None when nothing waits."""
        if self.start_error is None:
            self._resolve_end()
        return self._waiting if self._end is None else None

    def _resolve_end(self) -> None:
        self._advance(math.inf, EXIT_SEARCH_STEPS)

    # -- the interface the kubelet uses -------------------------------------------------------

    @property
    def exit_at(self) -> tuple[float, int] | None:
        """(seconds after start, exit code) when it ends by itself; None if it runs forever."""
        if self.start_error is not None:
            return None
        self._resolve_end()
        if self._end is not None and self._end.code is not None and self._periodic is None:
            return (self._end.at, self._end.code)
        return None

    @property
    def stop(self) -> StopBehaviour:
        """What the stop signal does to the process that ends up as PID 1."""
        if self.start_error is None:
            self._resolve_end()
        for span in reversed(self._stages):
            if span.pid1:
                return span.run.stop
        return StopBehaviour(False, 137, 0.0, self.image.stop_signal)

    def stop_at(self, at: float) -> StopBehaviour:
        """The stop behaviour of whatever is PID 1 ``at`` seconds after start."""
        span = self._stage_at(at)
        if span is not None and span.pid1:
            return span.run.stop
        return StopBehaviour(False, 137, 0.0, self.image.stop_signal)

    def stop_logs(self, signal_at: float) -> list[LogLine]:
        """Lines the program prints when the stop signal reaches it at ``signal_at``."""
        span = self._stage_at(signal_at)
        if (
            span is None
            or not span.pid1
            or not span.run.stop.exits_on_signal
            or span.run.render is None
        ):
            return []
        out = []
        for spec in span.run.stop_lines:
            rel = _value(spec.at, span.run.params)
            if rel is None:
                continue
            when = signal_at + float(rel)
            out.append(LogLine(when, spec.stream, span.run.render(spec.text, when)))
        return sorted(out, key=lambda line: line.at)

    def logs(self, until: float) -> list[LogLine]:
        """Every line with ``at <= until``, oldest first (the newest 10,000 at most)."""
        if self.start_error is not None or until < 0:
            return []
        self._advance(until)
        count = bisect.bisect_right(self._line_times, until + _EPS)
        lines = self._lines[max(0, count - MAX_LOG_LINES) : count]
        if self._periodic is not None:
            lines = lines + self._periodic_lines(until)
        return lines[-MAX_LOG_LINES:]

    def _periodic_lines(self, until: float) -> list[LogLine]:
        p = self._periodic
        assert p is not None
        rel = [e for e in p.events if isinstance(e, LogEvent)]
        if not rel or until + _EPS < p.at:
            return []
        last = math.floor((until - p.at) / p.period + _EPS)
        first = max(0, last - MAX_LOG_LINES // len(rel) - 1)
        out = []
        for k in range(first, last + 1):
            base = p.at + k * p.period
            for e in rel:
                when = base + e.at
                if when <= until + _EPS:
                    out.append(LogLine(when, e.stream, e.text))
        return out

    def _stage_at(self, at: float) -> _StageSpan | None:
        if self.start_error is not None:
            return None
        self._advance(at)
        for span in reversed(self._stages):
            if span.active(at):
                return span
        return None

    def listening(self, port: int, at: float) -> bool:
        span = self._stage_at(at)
        if span is None:
            return False
        return any(p.port == port and at >= span.at + p.after - _EPS for p in span.run.ports)

    def http_get(self, port: int, path: str, at: float) -> HttpResult:
        span = self._stage_at(at)
        if span is None:
            return HttpResult(None, 0.0)
        elapsed = at - span.at
        spec = next(
            (p for p in span.run.ports if p.port == port and elapsed >= p.after - _EPS), None
        )
        if spec is None:
            return HttpResult(None, 0.0)
        if spec.protocol != "http":
            return HttpResult(None, 0.0, error=spec.not_http_error)
        clean = path.split("?", 1)[0].split("#", 1)[0] or "/"
        route = next((r for r in spec.routes if not r.prefix and r.path == clean), None)
        if route is None:
            prefixes = [r for r in spec.routes if r.prefix and clean.startswith(r.path)]
            route = max(prefixes, key=lambda r: len(r.path), default=None)
        if route is None or not route.steps:
            return HttpResult(spec.default_status, spec.latency, spec.default_body)
        current = route.steps[0]
        for step in route.steps:
            if step[0] <= elapsed + _EPS:
                current = step
        if current[1] < 400 and route.needs and self.net is not None:
            for target in route.needs:
                result = dial(
                    self.net,
                    self._base_fs,
                    self._planner.pod_ip,
                    target,
                    self._planner.started_at + at,
                )
                if not result.ok:
                    return HttpResult(503, current[2] + result.seconds, f"{result.error}\n")
        return HttpResult(current[1], current[2], route.body)

    def network_steady_after(self, at: float) -> float | None:
        """When what ``listening``/``http_get`` answer may next change, after ``at``.

        None means never (one endless program with no pending port or route step); the kubelet
        then stops re-running probes whose result is already settled. Conservative: anything
        the timeline still has to produce (another stage, a loop, an exit) counts as a change.
        """
        span = self._stage_at(at)
        if span is None or self._periodic is not None:
            return at
        if self.net is not None and any(r.needs for p in span.run.ports for r in p.routes):
            return at  # a dependency may come and go at any time
        pending = self._peek()
        candidates = [span.end]
        if pending is not None:
            candidates.append(pending.at)
        elapsed = at - span.at
        for port in span.run.ports:
            if port.after > elapsed + _EPS:
                candidates.append(span.at + port.after)
            for route in port.routes:
                candidates.extend(
                    span.at + step[0] for step in route.steps if step[0] > elapsed + _EPS
                )
        upcoming = min(candidates)
        return None if math.isinf(upcoming) else max(upcoming, at)

    def memory_at(self, at: float) -> int:
        span = self._stage_at(at)
        if span is None:
            return int(self.image.idle_memory_mib * MIB)
        return int(span.run.memory_bytes(at - span.at))

    def oom_after(self, limit_bytes: int) -> float | None:
        """First time memory exceeds ``limit_bytes``, or None if it never does."""
        if self.start_error is not None:
            return None
        if self.image.idle_memory_mib * MIB > limit_bytes:
            return 0.0
        self._resolve_end()
        for span in self._stages:
            over = span.run.first_over(float(limit_bytes))
            if over is not None and span.at + over < span.end:
                return span.at + over
        return None

    def cpu_millis_at(self, at: float) -> int:
        span = self._stage_at(at)
        if span is not None:
            return span.run.cpu_millis
        p = self._periodic
        if p is not None and p.busy and at >= p.at:
            return 1000
        return 0

    # -- files and exec -----------------------------------------------------------------------

    def _fs_at(self, at: float) -> FileSystem:
        self._advance(at)
        fs = self._base_fs.copy()
        changes = sorted(
            [(e.at, 0, i, e) for i, e in enumerate(self._overlay) if e.at <= at + _EPS]
            + [(e.at, 1, i, e) for i, e in enumerate(self._files) if e.at <= at + _EPS],
            key=lambda c: c[:3],
        )
        for *_, event in changes:
            fs.apply(event)
        p = self._periodic
        if p is not None and at + _EPS >= p.at:
            offset = (at - p.at) % p.period if p.period > 0 else 0.0
            for periodic in p.events:
                if isinstance(periodic, FileEvent) and periodic.at <= offset + _EPS:
                    fs.apply(periodic)
        return fs

    def file_at(self, path: str, at: float) -> str | None:
        """A file's content ``at`` seconds after start (None if it does not exist)."""
        return self._fs_at(at).read(path)

    def remount(self, at: float, files: Mapping[str, str | None]) -> None:
        """The kubelet rewrote mounted files at ``at`` (a ConfigMap or Secret changed): each
        path gets its new content, or is removed (None); what runs from then on sees them."""
        self.receive(
            [
                FileEvent(at, posixpath.normpath(path), content)
                for path, content in sorted(files.items())
            ]
        )

    def receive(self, changes: Sequence[FileEvent]) -> None:
        """Changes made to the container's files from outside its process (a refreshed
        ConfigMap, another container writing to a volume they share), at their times after
        the start; what runs from then on sees them."""
        if changes:
            # A stable sort: changes at one moment keep their order (remove, then re-create).
            self._overlay = sorted([*self._overlay, *changes], key=lambda e: e.at)
            self._reset()

    def file_changes(self, after: float, until: float) -> list[FileEvent]:
        """What the container's own processes changed in its files in ``(after, until]``
        (seconds after the start), oldest first; of a repeating loop's changes, the last of
        each in that span (only the final state of a path matters to whoever reads it)."""
        if self.start_error is not None or until <= after:
            return []
        self._advance(until)
        low = bisect.bisect_right(self._file_times, after + _EPS)
        high = bisect.bisect_right(self._file_times, until + _EPS)
        found = self._files[low:high]
        p = self._periodic
        if p is not None and until + _EPS >= p.at:
            for event in p.events:
                if not isinstance(event, FileEvent):
                    continue
                first = p.at + event.at
                if first > until + _EPS:
                    continue
                k = math.floor((until - first) / p.period + _EPS) if p.period > 0 else 0
                when = first + k * p.period
                if when > after + _EPS:
                    found.append(FileEvent(when, event.path, event.content, event.directory))
        return sorted(found, key=lambda e: e.at)

    def exec(
        self,
        argv: list[str],
        at: float,
        timeout: float | None = None,
        net: Any = None,
        terminal: bool = False,
    ) -> ExecResult:
        """Run ``argv`` inside the container at ``at``, as ``kubectl exec`` or an exec probe.

        ``net`` is the pod's network (a ``network.client.PodNetwork``) for client programs
        such as ``curl``; without one they say the simulator does not model that.
        """
        if not argv:
            return ExecResult(126, RUNC_EXEC + "exec: no command specified: unknown\n", 0.0)
        if self.start_error is not None:
            return ExecResult(126, "container not running\n", 0.0)
        fs = self._fs_at(at)
        if self.volumes is not None:
            for tree in self.volumes.contents():
                fs.graft(tree)
        if net is None:
            net = self.net
        run = Run(self._planner, fs, now=at, table=self._table, capture_depth=1, net=net)
        capture = ToCapture(terminal=terminal)
        shell = Shell(run, self.env, arg0=argv[0], is_shell=False, fds={1: capture, 2: capture})
        horizon = at + (timeout if timeout is not None else EXEC_HORIZON)
        changes: list[FileEvent] = []
        gen = shell.run_argv(list(argv))
        code: int | None = None
        try:
            while True:
                try:
                    event = next(gen)
                except StopIteration as stop:
                    code = stop.value
                    break
                if event.at > horizon or sum(len(c) for c in capture.chunks) > EXEC_OUTPUT_CAP:
                    break
                if isinstance(event, FileEvent):
                    changes.append(event)
        except StartError as exc:
            return ExecResult(*_exec_error(str(exc), argv[0], fs))
        except Forever:
            code = None
        finally:
            gen.close()
        if changes:
            self._overlay = sorted([*self._overlay, *changes], key=lambda e: e.at)
            self._reset()
            if self.volumes is not None:
                self.volumes.wrote(changes)
        output = capture.text()
        if code is None:
            return ExecResult(0, output, math.inf, bool(changes))
        return ExecResult(code, output, max(0.0, run.now - at), bool(changes))


def _start_error_text(name: str, argv0: str, fs: FileSystem) -> str:
    return RUNC_CREATE + _exec_problem(argv0, fs) + ": unknown"


def _exec_problem(argv0: str, fs: FileSystem) -> str:
    if "/" not in argv0:
        return f'exec: "{argv0}": executable file not found in $PATH'
    path = posixpath.normpath(argv0) if argv0.startswith("/") else posixpath.normpath("/" + argv0)
    if fs.exists(path):
        return f'exec: "{argv0}": permission denied'
    return f'exec: "{argv0}": stat {argv0}: no such file or directory'


def _exec_error(name: str, argv0: str, fs: FileSystem) -> tuple[int, str, float]:
    problem = _exec_problem(argv0, fs)
    code = 126 if problem.endswith("permission denied") else 127
    return code, RUNC_EXEC + problem + ": unknown\n", 0.0


# ---------------------------------------------------------------------------------------------
# Planning


def container_argv(
    image: ImageSpec, command: list[str] | None, args: list[str] | None
) -> list[str]:
    """containerd's rule: ``command`` replaces ENTRYPOINT and drops CMD; ``args`` replaces CMD."""
    command = list(command or [])
    args = list(args or [])
    if command:
        return command + args
    if not args:
        args = list(image.cmd or [])
    entrypoint = list(image.entrypoint or [])
    if entrypoint == [""]:
        entrypoint = []
    return entrypoint + args


def _run_alias(image_dirs: Iterable[str], paths: Sequence[str]) -> tuple[str, ...]:
    """``paths`` with, where the image has ``/run``, a mount at or below ``/var/run`` (a
    symlink to ``/run`` in Debian and Alpine, which the runtime follows) also at ``/run``."""
    if "/run" not in set(image_dirs):
        return tuple(paths)
    aliases = [
        "/run" + p[len("/var/run") :] for p in paths if p == "/var/run" or p.startswith("/var/run/")
    ]
    return (*paths, *aliases)


def plan_process(
    catalog_image: ImageSpec | None,
    command: list[str] | None,
    args: list[str] | None,
    env: Mapping[str, str],
    files: Mapping[str, str],
    *,
    started_at: float = 0.0,
    pod_ip: str = "10.244.0.10",
    stdin: bool = False,
    volume_dirs: Iterable[str] = (),
    read_only_paths: Iterable[str] = (),
    writable_paths: Iterable[str] = (),
    hostname: str | None = None,
    etc_files: Mapping[str, str] | None = None,
    shared: Sequence[MountedTree] = (),
    volumes: SharedVolumes | None = None,
    net: Any = None,
    clock: Callable[[], float] | None = None,
    api: Callable[[str, Any], str] | None = None,
    run_as: RunAs | None = None,
) -> Process:
    """Plan one run of a container.

    ``env`` is the container's resolved environment (the image's defaults are filled in under
    it if missing); ``files`` maps mounted file paths to their contents. Keyword extras:
    ``started_at`` (simulated seconds at which it starts; only log timestamps use it),
    ``pod_ip`` (for log lines that show it), ``stdin`` (``stdin: true``: a bare shell waits
    instead of exiting), ``volume_dirs`` (whole-volume mount points: read-only, hiding the
    image's files there), ``read_only_paths``/``writable_paths`` (explicit overrides, e.g. a
    read-only root file system with writable emptyDirs), ``hostname`` (the pod's hostname:
    sets ``HOSTNAME`` and ``/etc/hostname`` unless given), ``etc_files`` (the other files the
    kubelet puts in every container, ``/etc/resolv.conf`` and ``/etc/hosts``, unless a volume
    provides them), ``shared`` (what the volumes whose
    data the kubelet keeps hold at the start: writable unless mounted read-only) and
    ``volumes`` (those volumes, which ``exec`` reads and writes as they are then), ``net``
    (the pod's network for the process's client programs) and ``clock`` (the cluster's, in
    absolute seconds: a network call in the plan waits until the cluster reaches it) and
    ``run_as`` (the container's security context: its user, groups and read-only root).
    """
    if catalog_image is None:
        image = ImageSpec(name="", repository="")
        planner = _Planner(image, started_at, pod_ip, stdin, set())
        return Process(
            image,
            ["?"],
            dict(env),
            FileSystem({}, ()),
            planner,
            RUNC_CREATE + "image not found: unknown",
        )
    image = catalog_image
    full_env = image.env_dict()
    full_env.update(env)
    # The runtime, not the kubelet, adds these two when the environment lacks them.
    if hostname is not None:
        full_env.setdefault("HOSTNAME", hostname)
    run_as = run_as or RunAs()
    identity = resolve_identity(image.user, dict(image.files), run_as)
    full_env.setdefault("HOME", identity.home)
    volume_dirs = [posixpath.normpath(d) for d in volume_dirs]
    base_files = {
        path: content
        for path, content in image.files
        if not any(path.startswith(d.rstrip("/") + "/") for d in volume_dirs)
    }
    image_dirs = FileSystem(base_files, image.dirs).dirs
    mounted = {posixpath.normpath(p): c for p, c in files.items()}
    if hostname is not None:
        mounted.setdefault("/etc/hostname", hostname + "\n")
    for path, content in (etc_files or {}).items():
        mounted.setdefault(path, content)
    base_files.update(mounted)
    fs = FileSystem(base_files, [*image.dirs, *volume_dirs])
    # ConfigMap and Secret volumes are read-only: the files, and directories the mount made.
    inferred = [*mounted, *(d for d in fs.dirs if d not in image_dirs), *volume_dirs]
    # Grafted after that inference: a shared volume's own directories stay writable.
    for tree in shared:
        fs.graft(tree)
    fs.read_only = _run_alias(
        image_dirs, (*inferred, *read_only_paths, *(t.path for t in shared if t.read_only))
    )
    fs.writable = _run_alias(
        image_dirs, (*writable_paths, *(t.path for t in shared if not t.read_only))
    )
    # File ownership is not modelled: the home a non-root user may write in is the one the
    # image made for its own USER (distroless's /home/nonroot), not any passwd entry's.
    own_home = identity.uid == resolve_identity(image.user, dict(image.files), RunAs()).uid
    fs.uid, fs.root_read_only = identity.uid, run_as.read_only_root
    fs.home = identity.home if own_home else ""
    planner = _Planner(image, started_at, pod_ip, stdin, set(mounted))
    planner.identity = identity
    argv = container_argv(image, command, args)
    if not argv:
        return Process(
            image,
            [""],
            full_env,
            fs,
            planner,
            "failed to generate spec: no command specified",
            volumes,
        )
    planner.net = net
    planner.api = api
    return Process(image, argv, full_env, fs, planner, volumes=volumes, net=net, clock=clock)

"""Planned container processes: what the shipped images log, serve, use, and how they end."""

from __future__ import annotations

import math

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.images.process import (
    RUNC_CREATE,
    Process,
    container_argv,
    plan_process,
)
from k8sgame.engine.images.reference import pull

CATALOG = load_default_catalog()
MIB = 1024 * 1024

PG_ERROR = [
    "Error: Database is uninitialized and superuser password is not specified.",
    "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
    '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
    "",
    '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
    "       connections without a password. This is *not* recommended.",
    "",
    '       See PostgreSQL documentation about "trust":',
    "       https://www.postgresql.org/docs/current/auth-trust.html",
]


def run(
    image: str,
    command: list[str] | None = None,
    args: list[str] | None = None,
    env: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
    **extra: object,
) -> Process:
    result = pull(CATALOG, image)
    assert result.ok, result.error
    return plan_process(result.spec, command, args, env or {}, files or {}, **extra)  # type: ignore[arg-type]


def texts(process: Process, until: float, stream: str | None = None) -> list[str]:
    return [line.text for line in process.logs(until) if stream in (None, line.stream)]


# -- nginx -----------------------------------------------------------------------------------


def test_nginx_refuses_before_start_then_serves_root_and_404s() -> None:
    p = run("nginx")
    assert p.start_error is None and p.exit_at is None
    assert p.http_get(80, "/", 0.0).status is None
    assert not p.listening(80, 0.0)
    ok = p.http_get(80, "/", 5.0)
    assert ok.status == 200 and ok.body is not None and "Welcome to nginx!" in ok.body
    assert ok.latency < 1
    assert p.http_get(80, "/nope", 5.0).status == 404
    assert p.http_get(80, "/index.html?x=1", 5.0).status == 200
    assert p.listening(80, 5.0) and not p.listening(8080, 5.0)
    assert p.http_get(8080, "/", 5.0).status is None


def test_nginx_logs_the_entrypoint_then_notices() -> None:
    p = run("nginx")
    stdout = texts(p, 1, "stdout")
    assert stdout[0] == (
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    )
    assert stdout[-1] == "/docker-entrypoint.sh: Configuration complete; ready for start up"
    stderr = texts(p, 1, "stderr")
    assert stderr[0] == '2026/01/05 09:00:00 [notice] 1#1: using the "epoll" event method'
    assert stderr[1] == "2026/01/05 09:00:00 [notice] 1#1: nginx/1.29.3"
    assert "start worker processes" in stderr[5]
    quiet = run("nginx", env={"NGINX_ENTRYPOINT_QUIET_LOGS": "1"})
    assert texts(quiet, 1, "stdout") == []


def test_log_timestamps_follow_the_start_time() -> None:
    p = run("nginx", started_at=3600.0)
    assert texts(p, 1, "stderr")[0].startswith("2026/01/05 10:00:00 [notice]")


def test_nginx_stops_quickly_on_sigquit_with_exit_0() -> None:
    p = run("nginx")
    assert p.stop.exits_on_signal and p.stop.exit_code == 0 and p.stop.seconds < 1
    assert p.stop.signal == "SIGQUIT"
    lines = p.stop_logs(60.0)
    assert (
        lines[0].text
        == "2026/01/05 09:01:00 [notice] 1#1: signal 3 (SIGQUIT) received, shutting down"
    )
    assert lines[-1].text.endswith("[notice] 1#1: exit")
    assert all(line.at >= 60.0 for line in lines)


def test_nginx_without_daemon_off_exits_0_at_once() -> None:
    p = run("nginx", command=["nginx"])
    assert p.exit_at == (0.0, 0)
    assert not p.listening(80, 0.0)


def test_nginx_listens_where_a_mounted_config_says() -> None:
    conf = "server {\n    listen 8080;\n    location / { root /usr/share/nginx/html; }\n}\n"
    p = run("nginx", files={"/etc/nginx/conf.d/default.conf": conf})
    assert p.listening(8080, 1.0) and not p.listening(80, 1.0)
    assert any("can not modify /etc/nginx/conf.d/default.conf" in t for t in texts(p, 1))
    assert p.file_at("/etc/nginx/conf.d/default.conf", 1.0) == conf


def test_args_that_are_not_nginx_skip_the_setup_and_exec() -> None:
    p = run("nginx", args=["sh", "-c", "echo custom"])
    assert texts(p, 1) == ["custom"]
    missing = run("nginx", args=["foo"])
    assert missing.start_error is None
    assert missing.exit_at == (0.0, 127)
    assert texts(missing, 1) == ["/docker-entrypoint.sh: 47: exec: foo: not found"]


# -- httpd and redis -----------------------------------------------------------------------------


def test_httpd_says_it_works_and_stops_on_sigwinch() -> None:
    p = run("httpd", pod_ip="10.244.1.7")
    assert p.http_get(80, "/", 1).body == "<html><body><h1>It works!</h1></body></html>\n"
    assert p.stop.signal == "SIGWINCH" and p.stop.exits_on_signal and p.stop.exit_code == 0
    assert "using 10.244.1.7." in texts(p, 1)[0]
    assert texts(p, 1)[-1].endswith("AH00094: Command line: 'httpd -D FOREGROUND'")


def test_redis_is_tcp_only_and_follows_port_flag() -> None:
    p = run("redis")
    assert p.listening(6379, 1)
    answer = p.http_get(6379, "/", 1)
    assert answer.status is None and answer.error == "EOF"
    assert texts(p, 1)[-1] == "1:M 05 Jan 2026 09:00:00.004 * Ready to accept connections tcp"
    moved = run("redis", args=["--port", "6380"])
    assert moved.listening(6380, 1) and not moved.listening(6379, 1)
    assert "Running mode=standalone, port=6380." in texts(moved, 1)[5]


# -- databases -----------------------------------------------------------------------------------


def test_postgres_without_password_exits_1_with_the_real_error() -> None:
    p = run("postgres")
    assert p.exit_at == (0.0, 1)
    assert texts(p, 1) == PG_ERROR
    assert {line.stream for line in p.logs(1)} == {"stderr"}
    assert not p.listening(5432, 0.0)


def test_postgres_with_password_initializes_then_serves_5432_forever() -> None:
    p = run("postgres", env={"POSTGRES_PASSWORD": "secret"})
    assert p.exit_at is None
    assert not p.listening(5432, 1.0)
    assert p.listening(5432, 3.0)
    lines = texts(p, 5)
    assert (
        lines[0] == 'The files belonging to this database system will be owned by user "postgres".'
    )
    assert "PostgreSQL init process complete; ready for start up." in lines
    assert lines[-1].endswith("LOG:  database system is ready to accept connections")
    assert p.stop.signal == "SIGINT" and p.stop.exit_code == 0
    assert 20 * MIB < p.memory_at(10) < 40 * MIB


def test_postgres_trust_and_password_file_and_pgport() -> None:
    trust = run("postgres", env={"POSTGRES_HOST_AUTH_METHOD": "trust"})
    assert trust.exit_at is None
    assert texts(trust, 1)[1].startswith(
        'WARNING: POSTGRES_HOST_AUTH_METHOD has been set to "trust".'
    )
    from_file = run("postgres:17", env={"POSTGRES_PASSWORD_FILE": "/run/secrets/pw"})
    assert from_file.exit_at is None
    moved = run("postgres", env={"POSTGRES_PASSWORD": "x", "PGPORT": "5433"})
    assert moved.listening(5433, 5) and not moved.listening(5432, 5)


def test_mysql_without_a_password_option_exits_1() -> None:
    p = run("mysql:8.4")
    assert p.exit_at == (0.3, 1)
    assert texts(p, 1, "stderr") == [
        "2026-01-05 09:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified",
        "    You need to specify one of the following as an environment variable:",
        "    - MYSQL_ROOT_PASSWORD",
        "    - MYSQL_ALLOW_EMPTY_PASSWORD",
        "    - MYSQL_RANDOM_ROOT_PASSWORD",
    ]
    assert texts(p, 1, "stdout")[0] == (
        "2026-01-05 09:00:00+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.7-1.el9 started."
    )


def test_mysql_with_a_password_is_slow_to_listen_and_big() -> None:
    p = run("mysql", env={"MYSQL_ROOT_PASSWORD": "x"})
    assert p.exit_at is None
    assert not p.listening(3306, 10) and p.listening(3306, 20)
    assert p.oom_after(256 * MIB) is not None
    assert p.oom_after(512 * MIB) is None


# -- start errors and argv -----------------------------------------------------------------------


def test_missing_executable_is_a_start_error_with_runc_text() -> None:
    p = run("busybox", command=["foo"])
    assert p.start_error == (
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
        "runc create failed: unable to start container process: error during container init: "
        'exec: "foo": executable file not found in $PATH: unknown'
    )
    assert p.exit_at is None and p.logs(10) == []
    by_path = run("busybox", command=["/app/server"])
    assert (
        by_path.start_error
        == RUNC_CREATE + 'exec: "/app/server": stat /app/server: no such file or directory: unknown'
    )
    assert run("k8sgame/demo-web", command=["sh", "-c", "echo"]).start_error is not None


def test_container_argv_follows_docker_rules() -> None:
    nginx = CATALOG.image_for("nginx")
    assert nginx is not None
    assert container_argv(nginx, None, None) == [
        "/docker-entrypoint.sh",
        "nginx",
        "-g",
        "daemon off;",
    ]
    assert container_argv(nginx, ["nginx"], None) == ["nginx"]
    assert container_argv(nginx, None, ["nginx-debug", "-g", "daemon off;"]) == [
        "/docker-entrypoint.sh",
        "nginx-debug",
        "-g",
        "daemon off;",
    ]
    assert container_argv(nginx, ["sh", "-c"], ["echo hi"]) == ["sh", "-c", "echo hi"]


def test_busybox_and_alpine_default_shells_exit_0_at_once() -> None:
    for image in ("busybox", "alpine"):
        p = run(image)
        assert p.start_error is None
        assert p.exit_at == (0.0, 0)
        assert p.logs(10) == []
    assert run("busybox", stdin=True).exit_at is None


def test_sleep_as_pid_1_ignores_sigterm() -> None:
    p = run("busybox", command=["sleep", "3600"])
    assert p.exit_at == (3600.0, 0)
    assert not p.stop.exits_on_signal and p.stop.exit_code == 137


# -- exec ------------------------------------------------------------------------------------------


def test_the_exec_liveness_example_of_the_docs() -> None:
    p = run(
        "registry.k8s.io/busybox",
        args=["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
    )
    healthy = p.exec(["cat", "/tmp/healthy"], 10)
    assert (healthy.exit_code, healthy.output) == (0, "")
    gone = p.exec(["cat", "/tmp/healthy"], 35)
    assert gone.exit_code == 1
    assert gone.output == "cat: can't open '/tmp/healthy': No such file or directory\n"
    assert p.exit_at == (630.0, 0)


def test_exec_of_a_missing_binary_gives_the_runtime_text() -> None:
    p = run("k8sgame/demo-web")
    result = p.exec(["sh", "-c", "echo hi"], 5)
    assert result.exit_code == 127
    assert result.output == (
        "OCI runtime exec failed: exec failed: unable to start container process: "
        'exec: "sh": executable file not found in $PATH: unknown\n'
    )
    # procps is not in the Debian-slim based images.
    debian = run("nginx").exec(["ps", "aux"], 5)
    assert 'exec: "ps": executable file not found in $PATH' in debian.output


def test_exec_sees_env_and_files_and_reports_duration() -> None:
    p = run(
        "busybox",
        command=["sleep", "100"],
        env={"GREETING": "hi"},
        files={"/etc/app/conf": "x=1\n"},
    )
    assert p.exec(["printenv", "GREETING"], 1).output == "hi\n"
    assert p.exec(["cat", "/etc/app/conf"], 1).output == "x=1\n"
    slow = p.exec(["sh", "-c", "sleep 3; echo done"], 1)
    assert (slow.exit_code, slow.output, slow.duration) == (0, "done\n", 3.0)
    forever = p.exec(["sleep", "infinity"], 1)
    assert forever.duration == math.inf
    ro = p.exec(["touch", "/etc/app/new"], 1)
    assert ro.output == "touch: /etc/app/new: Read-only file system\n"


def test_exec_side_effects_persist_and_can_end_a_script() -> None:
    p = run("busybox", command=["sh", "-c", "until [ -f /tmp/go ]; do sleep 5; done; echo go"])
    assert p.exit_at is None
    p.exec(["touch", "/tmp/go"], 12)
    assert p.exit_at == (15.0, 0)
    assert texts(p, 20) == ["go"]
    assert p.exec(["ls", "/tmp"], 13).output == "go\n"


# -- the demo app ----------------------------------------------------------------------------------


def test_demo_web_defaults() -> None:
    p = run("k8sgame/demo-web", hostname="web-1")
    assert p.exit_at is None
    assert p.http_get(8080, "/", 0.2).status is None
    assert p.http_get(8080, "/", 1).body == "Hello from web-1\n"
    assert p.http_get(8080, "/healthz", 1).status == 200
    assert p.http_get(8080, "/ready", 1).status == 200
    assert 19 * MIB < p.memory_at(60) <= 20 * MIB
    assert p.cpu_millis_at(60) == 5
    assert p.stop.exits_on_signal and p.stop.exit_code == 0


def test_demo_web_knobs() -> None:
    p = run(
        "k8sgame/demo-web",
        env={
            "PORT": "9000",
            "HEALTH_PATH": "/live",
            "READY_PATH": "/rdy",
            "STARTUP_SECONDS": "10",
            "READY_AFTER": "20",
            "FAIL_HEALTH_AFTER": "60",
            "LATENCY_SECONDS": "2",
        },
    )
    assert p.http_get(9000, "/live", 5).status is None
    assert p.http_get(9000, "/live", 11).status == 200
    assert p.http_get(9000, "/live", 11).latency == 2.0
    assert p.http_get(9000, "/rdy", 15).status == 503
    assert p.http_get(9000, "/rdy", 25).status == 200
    assert p.http_get(9000, "/live", 61).status == 500
    assert any("simulated fault: /live now answers 500" in t for t in texts(p, 100))


def test_demo_web_exits_leaks_and_requires() -> None:
    exits = run("k8sgame/demo-web", env={"EXIT_AFTER": "30", "EXIT_CODE": "3"})
    assert exits.exit_at == (30.0, 3)
    assert not exits.listening(8080, 31)
    leaky = run("k8sgame/demo-web", env={"MEMORY_MB": "50", "LEAK_MB_PER_MINUTE": "10"})
    assert leaky.oom_after(64 * MIB) == 84.0
    assert leaky.memory_at(120) == 70 * MIB
    needs = run("k8sgame/demo-web", env={"REQUIRED_ENV": "DATABASE_URL"})
    assert needs.exit_at == (0.0, 1)
    assert (
        texts(needs, 1)[-1]
        == "2026/01/05 09:00:00 fatal: required environment variable DATABASE_URL is not set"
    )
    satisfied = run(
        "k8sgame/demo-web", env={"REQUIRED_ENV": "DATABASE_URL", "DATABASE_URL": "pg://db"}
    )
    assert satisfied.exit_at is None
    files = run("k8sgame/demo-web", env={"REQUIRED_FILES": "/etc/app/config.yaml"})
    assert files.exit_at == (0.0, 1)
    mounted = run(
        "k8sgame/demo-web",
        env={"REQUIRED_FILES": "/etc/app/config.yaml"},
        files={"/etc/app/config.yaml": "a: 1\n"},
    )
    assert mounted.exit_at is None


def test_demo_web_stop_knobs_and_bad_values() -> None:
    stubborn = run("k8sgame/demo-web", env={"IGNORE_SIGTERM": "true"})
    assert not stubborn.stop.exits_on_signal and stubborn.stop.exit_code == 137
    dies = run("k8sgame/demo-web", env={"STOP_EXIT_CODE": "143", "SHUTDOWN_SECONDS": "5"})
    assert (dies.stop.exit_code, dies.stop.seconds) == (143, 5.0)
    bad = run("k8sgame/demo-web", env={"PORT": "http"})
    assert bad.exit_at == (0.0, 1)
    assert texts(bad, 1) == ['invalid value "http" for PORT']


# -- other images ------------------------------------------------------------------------------------


def test_agnhost_liveness_fails_after_ten_seconds() -> None:
    p = run("registry.k8s.io/e2e-test-images/agnhost:2.40", args=["liveness"])
    assert p.http_get(8080, "/healthz", 3).status == 200
    assert p.http_get(8080, "/healthz", 10).status == 200
    assert p.http_get(8080, "/healthz", 11).status == 500
    unknown = run("registry.k8s.io/e2e-test-images/agnhost:2.40", args=["nope"])
    assert unknown.exit_at is not None and unknown.exit_at[1] == 1
    assert texts(unknown, 1)[0] == 'Error: unknown command "nope" for "agnhost"'


def test_hello_world_prints_and_completes() -> None:
    p = run("hello-world")
    assert p.exit_at == (0.01, 0)
    lines = texts(p, 1)
    assert lines[:2] == ["", "Hello from Docker!"]
    assert lines[-1] == ""


def test_plan_process_is_deterministic() -> None:
    def snapshot() -> tuple[object, ...]:
        p = run("postgres", env={"POSTGRES_PASSWORD": "x"})
        return (p.exit_at, p.logs(10), p.http_get(5432, "/", 5), p.memory_at(5))

    assert snapshot() == snapshot()

"""The game screen under test: a progress database in a temporary directory, a fixed seed."""

import pytest

from k8sgame.progress import open_progress


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("K8SGAME_DATA_DIR", str(tmp_path))
    store, notice = open_progress(tmp_path / "progress.db")
    assert notice is None
    yield store
    store.close()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests on a fresh event loop (Textual's pilot is async)."""
    import asyncio
    import inspect

    if inspect.iscoroutinefunction(pyfuncitem.obj):
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**arguments))
        return True
    return None

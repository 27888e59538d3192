"""The warm kaleido renderer: started once, reused, thread-safe, bounded by
CHART_RENDER_TIMEOUT, restarted after a failure. Tests marked ``render`` need
/usr/bin/chromium (skipped with a message without it, failed in CI)."""

import os
import shutil
import threading
import time
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest

from dashboard import rendering
from dashboard.rendering import Renderer, RendererUnavailable, RenderTimeout


@pytest.fixture
def chromium():
    if os.path.exists(rendering.DEFAULT_BROWSER) or shutil.which("chromium"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI: apt-get install -y chromium")
    pytest.skip("needs Chromium at /usr/bin/chromium (apt-get install -y chromium)")


@pytest.fixture
def renderer():
    """A renderer of the test's own, so the process-wide one is left alone."""
    instance = Renderer()
    yield instance
    instance.stop()


def figure(title="A chart"):
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"title": {"text": title}}).to_dict()


@pytest.fixture
def hanging_browser(tmp_path, settings):
    script = tmp_path / "chromium"
    script.write_text("#!/bin/sh\nexec sleep 120\n")
    script.chmod(0o755)
    settings.CHART_RENDER_BROWSER = str(script)
    settings.CHART_RENDER_TIMEOUT = 1
    return script


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except OSError:
        return False


def test_browser_path_comes_from_the_setting(settings):
    settings.CHART_RENDER_BROWSER = "/opt/chromium/chrome"
    assert rendering.browser_path() == "/opt/chromium/chrome"
    settings.CHART_RENDER_BROWSER = ""
    assert rendering.browser_path() in {
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
        shutil.which("google-chrome") or "",
        os.environ.get("BROWSER_PATH", ""),
        rendering.DEFAULT_BROWSER,
    }


def test_missing_browser_is_unavailable_at_once(renderer, settings):
    settings.CHART_RENDER_BROWSER = "/nonexistent/chromium"
    started = time.monotonic()
    with pytest.raises(RendererUnavailable, match="/nonexistent/chromium"):
        renderer.render(figure(), fmt="png", width=400, height=300)
    assert time.monotonic() - started < 1
    assert "Chromium" in RendererUnavailable.reason


def test_hung_browser_start_times_out_and_is_killed(renderer, hanging_browser):
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        renderer.render(figure(), fmt="svg", width=400, height=300)
    assert time.monotonic() - started < 3
    assert not renderer.running
    renderer.stop()  # waits for the background shutdown
    pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    leftovers = [pid for pid in pids if _cmdline_has(pid, hanging_browser) and _alive(pid)]
    assert not leftovers, "the hung browser's processes were not killed"


def _cmdline_has(pid: int, script) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return str(script).encode() in f.read()
    except OSError:
        return False


def test_unknown_format_is_refused(renderer):
    with pytest.raises(ValueError, match="jpeg"):
        renderer.render(figure(), fmt="jpeg", width=400, height=300)


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_one_warm_browser_serves_every_render(renderer, settings):
    settings.CHART_RENDER_BROWSER = ""
    started = time.monotonic()
    assert renderer.render(figure(), fmt="png", width=400, height=300).startswith(b"\x89PNG")
    cold = time.monotonic() - started
    timings = []
    for fmt in ("png", "svg", "pdf", "png"):
        started = time.monotonic()
        renderer.render(figure(), fmt=fmt, width=400, height=300)
        timings.append(time.monotonic() - started)
    assert renderer.starts == 1 and renderer.running
    assert sorted(timings)[len(timings) // 2] < cold  # warm renders skip the browser start


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_concurrent_renders_get_their_own_images(renderer, settings):
    settings.CHART_RENDER_BROWSER = ""
    results, errors = {}, []

    def work(n):
        try:
            results[n] = renderer.render(figure(f"Chart number {n}"), fmt="svg", width=400, height=300)
        except Exception as error:  # noqa: BLE001 - collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 4
    for n, svg in results.items():
        text = " ".join(ET.fromstring(svg).itertext())  # noqa: S314 - our own output
        assert f"Chart number {n}" in text
    assert renderer.starts == 1


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_a_dead_browser_is_replaced(renderer, settings):
    settings.CHART_RENDER_BROWSER = ""
    renderer.render(figure(), fmt="svg", width=400, height=300)
    process = renderer._session.kaleido.subprocess
    os.killpg(process.pid, 9)
    process.wait(timeout=10)
    assert not renderer.running
    assert renderer.render(figure(), fmt="svg", width=400, height=300).lstrip().startswith(b"<svg")
    assert renderer.starts == 2

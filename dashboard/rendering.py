"""Turns plotly figures into PNG, SVG and PDF with kaleido and the system's Chromium.

One warm renderer per worker process: a headless Chromium driven by
``kaleido.Kaleido`` on an event loop in a background thread. It starts on the
first render (about 3 s), is reused by every later render (about 0.3 s), and
is shut down when the process exits.

Why not ``kaleido.start_sync_server()``: its singleton waits on a queue without
a timeout, so when Chromium is missing or hangs the calling thread blocks for
ever, and ``stop_sync_server()`` joins that stuck thread, so it cannot be
restarted. Here every call goes through ``asyncio.run_coroutine_threadsafe``,
whose future can be abandoned after ``CHART_RENDER_TIMEOUT`` seconds; the
renderer that timed out is torn down in the background (its Chromium process
group killed if it will not close) and the next render starts a fresh one.
A worker thread therefore never waits longer than the timeout (twice the
timeout when the render also has to start Chromium).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import signal
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy

log = logging.getLogger("newmedia.exports")

DEFAULT_BROWSER = "/usr/bin/chromium"
FORMATS = ("png", "svg", "pdf")


class RenderError(RuntimeError):
    """A chart image could not be made. ``reason`` is a plain sentence for users."""

    reason = gettext_lazy("The chart image could not be made.")

    def __init__(self, detail: str = ""):
        super().__init__(detail or str(self.reason))
        self.detail = detail


class RendererUnavailable(RenderError):
    reason = gettext_lazy(
        "Chart images need the Chromium browser on the server, and it could not be started. "
        "CSV and XLSX downloads of the same data still work."
    )


class RenderTimeout(RenderError):
    reason = gettext_lazy("Making the chart image took too long, so it was stopped. Please try again in a minute.")


class RendererBusy(RenderError):
    reason = gettext_lazy("The chart renderer is busy with other downloads. Please try again in a minute.")


def browser_path() -> str:
    """The Chromium the renderer launches: ``settings.CHART_RENDER_BROWSER``, else
    ``$BROWSER_PATH``, else ``chromium`` on the PATH, else /usr/bin/chromium."""
    configured = getattr(settings, "CHART_RENDER_BROWSER", "") or os.environ.get("BROWSER_PATH", "")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return DEFAULT_BROWSER


def render_timeout() -> float:
    return float(getattr(settings, "CHART_RENDER_TIMEOUT", 30))


# Two tabs: one renders while the other reloads after its last render.
TABS = 2


def _warm_kaleido_class(base):
    """kaleido reloads a tab (plotly.js is parsed again, about 0.2 s) after every
    image and before it hands the image back. This subclass hands the image back
    first and reloads in the background; the tab rejoins the queue once fresh.
    It overrides a private method of the pinned kaleido (1.5.0); if a later
    kaleido drops that method, the plain class is used and renders are only slower."""
    if not hasattr(base, "_return_kaleido_tab"):
        return base

    class WarmKaleido(base):
        _reloads: set

        async def _return_kaleido_tab(self, tab) -> None:
            if not hasattr(self, "_reloads"):
                self._reloads = set()
            task = asyncio.create_task(super()._return_kaleido_tab(tab))
            self._reloads.add(task)  # keep a reference until it is done
            task.add_done_callback(self._reloads.discard)

    return WarmKaleido


@dataclass
class _Session:
    """One running Chromium, its event loop and the thread that runs the loop."""

    path: str
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    kaleido: object | None = None
    started_at: float = 0.0

    def alive(self) -> bool:
        process = getattr(self.kaleido, "subprocess", None)
        return self.thread.is_alive() and process is not None and process.poll() is None


class Renderer:
    """A lazily started, reusable, restartable kaleido renderer. Thread-safe:
    starting, stopping and each render hold ``_lock``, so renders run one at a
    time and results cannot be mixed up."""

    def __init__(self):
        self._lock = threading.Lock()
        self._session: _Session | None = None
        self._closers: list[threading.Thread] = []
        self.starts = 0  # how many Chromiums this process has launched (for tests and the benchmark)

    # ----------------------------------------------------------------- public

    def render(self, figure: dict, *, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        """Bytes of ``figure`` (a plotly figure dict) as ``fmt``. Raises a
        ``RenderError`` subclass; never waits much longer than the timeout."""
        if fmt not in FORMATS:
            raise ValueError(f"unsupported image format {fmt!r}")
        timeout = render_timeout()
        if not self._lock.acquire(timeout=timeout):
            raise RendererBusy(f"renderer lock not free after {timeout:g}s")
        try:
            session = self._ensure_session(timeout)
            opts = {"format": fmt, "width": width, "height": height, "scale": scale}
            future = asyncio.run_coroutine_threadsafe(self._calc(session, figure, opts), session.loop)
            try:
                return future.result(timeout=timeout)
            except concurrent.futures.TimeoutError:
                future.cancel()
                self._discard("render timed out")
                raise RenderTimeout(f"render took longer than {timeout:g}s") from None
            except RenderError:
                raise
            except Exception as error:  # noqa: BLE001 - anything from the browser means it is unusable
                self._discard(f"render failed: {error!r}")
                raise RendererUnavailable(f"render failed: {error}") from error
        finally:
            self._lock.release()

    def stop(self) -> None:
        """Close the browser and wait for earlier shutdowns (at exit, or in tests).
        Gives up rather than block the exit if a render still holds the lock."""
        if not self._lock.acquire(timeout=render_timeout() + 1):
            log.warning("chart renderer busy at stop; left to the operating system")
            return
        try:
            self._discard("stopped")
            closers, self._closers = self._closers, []
        finally:
            self._lock.release()
        for closer in closers:
            closer.join(timeout=15)

    @property
    def running(self) -> bool:
        return self._session is not None and self._session.alive()

    # ----------------------------------------------------------------- internals

    async def _calc(self, session: _Session, figure: dict, opts: dict) -> bytes:
        # kaleido's own per-image timeout is a second line of defence.
        return await session.kaleido.calc_fig(figure, opts=opts)

    async def _open(self, session: _Session, timeout: float) -> None:
        import kaleido  # imported here: importing kaleido is slow and only image exports need it

        # mathjax=False: otherwise each page load fetches MathJax from a CDN.
        session.kaleido = _warm_kaleido_class(kaleido.Kaleido)(
            n=TABS, timeout=timeout, mathjax=False, path=session.path
        )
        await session.kaleido.open()

    def _ensure_session(self, timeout: float) -> _Session:
        path = browser_path()
        session = self._session
        if session is not None and session.path == path and session.alive():
            return session
        if session is not None:
            self._discard("browser not running" if session.path == path else "browser path changed")
        if not os.path.isfile(path) or not os.access(path, os.X_OK):
            raise RendererUnavailable(f"no Chromium executable at {path}")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="chart-renderer", daemon=True)
        thread.start()
        session = _Session(path=path, loop=loop, thread=thread)
        self._session = session
        started = time.perf_counter()
        future = asyncio.run_coroutine_threadsafe(self._open(session, timeout), loop)
        try:
            future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            self._discard("browser start timed out")
            raise RenderTimeout(f"Chromium at {path} did not start within {timeout:g}s") from None
        except Exception as error:  # noqa: BLE001 - ChromeNotFoundError, BrowserFailedError, OSError...
            self._discard(f"browser start failed: {error!r}")
            raise RendererUnavailable(f"Chromium at {path} could not be started: {error}") from error
        self.starts += 1
        session.started_at = time.perf_counter()
        log.info(
            "chart renderer started", extra={"browser": path, "start_ms": round((session.started_at - started) * 1000)}
        )
        return session

    def _discard(self, why: str) -> None:
        """Forget the current session and shut it down off the request thread."""
        session, self._session = self._session, None
        if session is None:
            return
        if why != "stopped":
            log.warning("chart renderer discarded", extra={"reason": why, "browser": session.path})
        closer = threading.Thread(target=_shutdown, args=(session,), name="chart-renderer-close", daemon=True)
        closer.start()
        self._closers = [c for c in self._closers if c.is_alive()] + [closer]


def _shutdown(session: _Session, grace: float = 3.0) -> None:
    """Close a browser that worked politely, kill its process group if it is
    still there (or never finished starting), then stop the loop."""
    loop = session.loop
    if session.kaleido is not None and session.started_at and loop.is_running():
        future = asyncio.run_coroutine_threadsafe(session.kaleido.close(), loop)
        try:
            future.result(timeout=grace)
        except Exception:  # noqa: BLE001, S110 - killed below whatever went wrong
            future.cancel()
    process = getattr(session.kaleido, "subprocess", None)
    if process is not None and process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # started with start_new_session=True
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=grace)
        except Exception:  # noqa: BLE001, S110 - nothing more can be done
            pass
    if loop.is_running():
        cancelled = asyncio.run_coroutine_threadsafe(_cancel_pending(), loop)
        try:
            cancelled.result(timeout=grace)
        except Exception:  # noqa: BLE001, S110 - the loop is stopped below anyway
            pass
        loop.call_soon_threadsafe(loop.stop)
    session.thread.join(timeout=grace)
    if not session.thread.is_alive() and not loop.is_closed():
        loop.close()


async def _cancel_pending() -> None:
    """Cancel what is left on the loop (choreographer's watchdog, a stuck render)."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


renderer = Renderer()
atexit.register(renderer.stop)


def render_figure(figure: dict, *, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
    """Render with this process's warm renderer. See ``Renderer.render``."""
    return renderer.render(figure, fmt=fmt, width=width, height=height, scale=scale)

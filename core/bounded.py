"""Run untrusted-input parsing in a child process with a memory ceiling and a time limit.

A 100 KB .xlsx can hold 40 MB of shared strings and a 500 KB PDF a 512 MB deflate stream; a
reader given such a file must fail alone, not take the web or huey worker with it. `run_bounded`
forks: the child sets `RLIMIT_AS` (its address space may grow by at most `memory_mb` beyond what
it inherited) and `RLIMIT_CPU`, runs the function, pickles the result (or the exception) back
through a pipe and exits with `os._exit` (no atexit handlers, no shared database connection
closed). The parent waits at most `seconds` and kills the child after that. Whatever happens in
the child, the parent's memory is untouched and it gets either the result, the function's own
exception, or `LimitExceeded` with a one-line Chinese message.

The function must not touch the database (the child shares the parent's connection)."""

import os
import pickle
import resource
import select
import signal
import time

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MB = 1024 * 1024
MSG_MEMORY = gettext_noop("文件解析所需内存超过上限（疑似压缩炸弹或异常文件），已拒绝。")
MSG_TIME = gettext_noop("文件解析超时（超过 {seconds} 秒），已拒绝；请检查文件是否损坏。")
MSG_CRASH = gettext_noop("文件无法解析（解析进程异常退出），已拒绝。")


class LimitExceeded(Exception):
    """The child ran out of memory or time, or died; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _address_space() -> int:
    """This process's current virtual size in bytes (VmSize)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(write_fd: int, func, args, kwargs, memory_mb: int, seconds: int) -> None:
    try:
        ceiling = _address_space() + memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        cpu = max(1, int(seconds) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            outcome = ("ok", func(*args, **kwargs))
        except MemoryError:
            outcome = ("limit", _(MSG_MEMORY))
        except BaseException as error:  # everything goes back to the parent
            outcome = ("error", error)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("limit", _(MSG_MEMORY)))
        except Exception as error:  # an unpicklable result or exception
            payload = pickle.dumps(("error", RuntimeError(repr(error))))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def run_bounded(func, *args, memory_mb: int | None = None, seconds: float | None = None, **kwargs):
    """`func(*args, **kwargs)` in a forked child under a memory ceiling and a time limit
    (defaults: settings.PARSE_MEMORY_MB, settings.PARSE_SECONDS). Returns its result, re-raises
    its exception, or raises LimitExceeded."""
    memory_mb = memory_mb or settings.PARSE_MEMORY_MB
    seconds = seconds or settings.PARSE_SECONDS
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child; its coverage is not collected)
        os.close(read_fd)
        _child(write_fd, func, args, kwargs, memory_mb, seconds)
    os.close(write_fd)
    chunks, deadline, timed_out = [], time.monotonic() + seconds, False
    with os.fdopen(read_fd, "rb") as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _writable, _errors = select.select([pipe], [], [], left)
            if not ready:
                continue
            chunk = os.read(pipe.fileno(), 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _pid, status = os.waitpid(pid, 0)
    if timed_out:
        raise LimitExceeded(_(MSG_TIME).format(seconds=int(seconds)))
    if not chunks:
        # Killed by a signal (SIGXCPU, the kernel) or died before answering.
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
            raise LimitExceeded(_(MSG_TIME).format(seconds=int(seconds)))
        raise LimitExceeded(_(MSG_CRASH))
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301  (our own child's bytes)
    if kind == "ok":
        return value
    if kind == "limit":
        raise LimitExceeded(value)
    raise value

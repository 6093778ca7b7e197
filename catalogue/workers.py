"""Outputs made in parallel: worker processes forked once the catalogue is loaded and the templates compiled.

Each worker inherits the parent's memory (the catalogue, the renderers, their compiled templates)
at the fork, so nothing is sent to it but which outputs are its share; the parent makes the first
share itself. Each makes the outputs of its share in order (render.py renders a page, write.py
writes it into the new site folder) and a worker sends back only a small record of each. The
parent takes the records in output order, so what it makes of them (the manifest) is the same
whoever made each output.

A failure is the one a one-process build meets first: the failure at the lowest output index.
A worker that fails sends its error; the parent waits only for workers that could still fail at
a lower index, stops the others, and raises that error as the worker raised it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from contextlib import contextmanager
from collections.abc import Callable, Hashable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

T = TypeVar("T")

# Fewer outputs than this per worker are made in-process: forking and collecting cost more than they save.
MIN_SHARE = 200
BATCH = 64  # records a worker sends at a time


class WorkerDied(RuntimeError):
    """A worker process ended without saying why (killed, out of memory); the build stops."""


class RemoteTraceback(Exception):
    """Where a worker's error was raised, as its traceback, attached to the error as its cause."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def default_jobs() -> int:
    """As many workers as the build may use cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def shares(groups: Sequence[Hashable], jobs: int) -> list[list[int]]:
    """Each worker's outputs, by index: outputs of one group (a list's pages, which share the list's
    views and filters) go to one worker; groups are dealt in order, each to the worker with the
    fewest outputs so far (the first such). The same groups and jobs always give the same shares."""
    members: dict[Hashable, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    out: list[list[int]] = [[] for _ in range(jobs)]
    for indexes in members.values():
        min(out, key=len).extend(indexes)
    return [sorted(share) for share in out if share]


def jobs_for(count: int, jobs: int) -> int:
    """How many workers make count outputs: at most jobs, each with at least MIN_SHARE; 1 where fork is missing."""
    if not can_fork():
        return 1
    return max(1, min(jobs, count // MIN_SHARE))


class Made(Generic[T]):
    """make(i) for every output index i < count, in jobs workers (in-process when jobs is 1)."""

    def __init__(self, count: int, make: Callable[[int], T], group: Callable[[int], Hashable], jobs: int) -> None:
        self.count, self.make, self.group = count, make, group
        self.jobs = jobs_for(count, jobs)

    def __iter__(self) -> Iterator[tuple[int, T]]:
        """(index, what make made) as they come: in index order in-process, in arrival order from workers."""
        if self.jobs <= 1:
            for index in range(self.count):
                yield index, self.make(index)
            return
        yield from _parallel(self.make, shares([self.group(i) for i in range(self.count)], self.jobs))


def _parallel(make: Callable[[int], T], plan: list[list[int]]) -> Iterator[tuple[int, T]]:
    """The first share made here, the others by one forked worker each: one process fewer copying the
    memory it inherits (a process touching an object writes its reference count, so the page holding it
    is copied), and the parent has nothing else to do meanwhile."""
    context = multiprocessing.get_context("fork")
    live: dict[Connection, tuple[multiprocessing.process.BaseProcess, list[int]]] = {}
    reached: dict[Connection, int] = {}  # the last index each worker reported
    failed: tuple[int, BaseException] | None = None  # the failure at the lowest index so far

    def receive(timeout: float | None) -> Iterator[tuple[int, T]]:
        """What the workers ready within timeout have sent; stops the workers that cannot fail before `failed`."""
        nonlocal failed
        for conn in wait(list(live), timeout):
            assert isinstance(conn, Connection)
            process, share = live[conn]
            try:
                message = conn.recv()
            except EOFError:
                process.join()
                raise WorkerDied(
                    f"a worker process making the site stopped (exit code {process.exitcode}) before it had "
                    "made its pages, perhaps out of memory; nothing was written. Build with fewer workers "
                    "(--jobs 1 makes every page in one process)"
                ) from None
            if message[0] == "made":
                for index, result in message[1]:
                    reached[conn] = index
                    if failed is None:
                        yield index, result
            elif message[0] == "failed":
                index, error = message[1], message[2]
                error.__cause__ = RemoteTraceback(message[3])
                if failed is None or index < failed[0]:
                    failed = (index, error)
                _end(live.pop(conn)[0], conn)
            else:  # "end"
                _end(live.pop(conn)[0], conn)
        if failed is not None:
            for conn in [c for c, (_, share) in live.items() if _past(share, reached[c], failed[0])]:
                _end(live.pop(conn)[0], conn, stop=True)

    try:
        for share in plan[1:]:
            receive_end, send = context.Pipe(duplex=False)
            worker = context.Process(target=_work, args=(make, share, send), daemon=True)
            worker.start()
            send.close()  # the worker's end: the next worker forked must not hold it open
            live[receive_end] = (worker, share)
            reached[receive_end] = -1
        for index in plan[0]:
            if failed is not None and index > failed[0]:
                break  # the rest of this share cannot fail before the failure we have
            try:
                result = make(index)
            except Exception as err:
                if failed is None or index < failed[0]:
                    failed = (index, err)
                break
            if failed is None:
                yield index, result
            if live:
                yield from receive(0)  # a worker waits while its pipe is full
        while live:
            yield from receive(None)
        if failed is not None:
            raise failed[1]
    finally:
        for conn, (process, _) in live.items():
            _end(process, conn, stop=True)


def _past(share: list[int], reached: int, failed: int) -> bool:
    """Whether every output of share still to come lies after index failed."""
    return next((index for index in share if index > reached), failed + 1) > failed


def _end(process: multiprocessing.process.BaseProcess, conn: Connection, stop: bool = False) -> None:
    if stop and process.is_alive():
        process.terminate()
    process.join()
    conn.close()


def _work(make: Callable[[int], object], share: list[int], send: Connection) -> None:
    """In a worker: make each output of share in order, sending (index, record) in batches; stop at the first error."""
    batch: list[tuple[int, object]] = []
    for index in share:
        try:
            batch.append((index, make(index)))
        except BaseException as err:
            if batch:
                send.send(("made", batch))
            send.send(("failed", index, _portable(err), "".join(traceback.format_exception(err))))
            send.close()
            return
        if len(batch) >= BATCH:
            send.send(("made", batch))
            batch = []
    if batch:
        send.send(("made", batch))
    send.send(("end",))
    send.close()


def _portable(err: BaseException) -> BaseException:
    """err as the parent can receive it: itself when it pickles whole (the same type and message), else a
    RuntimeError saying what it was."""
    try:
        copy = pickle.loads(pickle.dumps(err))
        if type(copy) is type(err) and str(copy) == str(err):
            return err
    except Exception:
        pass
    return RuntimeError(f"{type(err).__name__}: {err}")


@contextmanager
def settled() -> Iterator[None]:
    """While rendering: what is alive so far (the catalogue, the renderers) frozen out of the cyclic collector.

    Collections then visit only what rendering makes, not the whole catalogue again and again (list pages
    grew slower with the catalogue), and workers do not copy the pages they inherit just to mark them.
    The garbage frozen with them is only what loading left in the two young generations' reach: those
    are collected first, the oldest generation is not (a full collection visits everything the process
    holds, whatever holds it: 0.05 to 0.15 s a build in a test process, once per save in `catalogue
    serve`); what is frozen is collected as usual after the unfreeze."""
    gc.collect(1)
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # a long-lived process (catalogue serve) must be able to collect this build's objects

"""Outputs made in parallel: worker processes forked once the catalogue is loaded and the templates compiled.

Each worker inherits the parent's memory (the catalogue, the renderers, their compiled templates)
at the fork, so nothing is sent to it but the order in which outputs are taken. The outputs are
dealt in chunks (`chunks`: a list's pages whole, the largest lists first, then the single outputs a
few at a time), and each process takes the next chunk not yet taken when it is free (a shared
counter), so no process idles while another still has a long list to make. The parent is one of
them: first it makes what it was given to make meanwhile (the exports, the feeds, the sitemap: made
in one process), then it takes chunks like the workers. Each makes the outputs of its chunks in
order (render.py renders a page, write.py writes it into the new site folder) and a worker sends
back only a small record of each. The parent takes the records in output order, so what it makes
of them (the manifest) is the same whoever made each output.

A failure is the one a one-process build meets first: the failure at the lowest output index, and
one in what the parent makes meanwhile only when no output fails (a one-process build makes those
last). Every process keeps making the outputs below the lowest failure known (shared too), so each
of them is tried; the parent raises the lowest error as the worker raised it.
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
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")

# Fewer outputs than this per worker are made in-process: forking and collecting cost more than they save.
MIN_SHARE = 200
BATCH = 64  # records a worker sends at a time
CHUNK = 16  # single outputs a process takes at a time (a list's pages are taken whole)
YOUNG = 10_000  # allocations between two young collections while rendering (settled)


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


def chunks(groups: Sequence[Hashable], size: int = CHUNK) -> list[list[int]]:
    """The outputs by index, in the chunks processes take in turn: the outputs of one group (a list's pages,
    which share the list's views and filters) in one chunk, the largest groups first (a long list taken last
    would leave the other processes idle while one makes it); then the outputs alone in their group, in index
    order, `size` at a time. The same groups always give the same chunks."""
    members: dict[Hashable, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    lists = sorted((indexes for indexes in members.values() if len(indexes) > 1), key=len, reverse=True)
    single = [indexes[0] for indexes in members.values() if len(indexes) == 1]
    return lists + [single[i : i + size] for i in range(0, len(single), size)]


def jobs_for(count: int, jobs: int) -> int:
    """How many workers make count outputs: at most jobs, each with at least MIN_SHARE; 1 where fork is missing."""
    if not can_fork():
        return 1
    return max(1, min(jobs, count // MIN_SHARE))


class Made(Generic[T]):
    """make(i) for every output index i < count, in jobs processes (in-process when jobs is 1); and what
    meanwhile gives, made by the parent (kept in `meanwhile_made`, in its order): after the outputs in one
    process, while the workers make outputs in several."""

    def __init__(
        self,
        count: int,
        make: Callable[[int], T],
        group: Callable[[int], Hashable],
        jobs: int,
        meanwhile: Iterator[Any] | None = None,
    ) -> None:
        self.count, self.make, self.group = count, make, group
        self.jobs = jobs_for(count, jobs)
        self.meanwhile = meanwhile if meanwhile is not None else iter(())
        self.meanwhile_made: list[Any] = []

    def __iter__(self) -> Iterator[tuple[int, T]]:
        """(index, what make made) as they come: in index order in-process, in arrival order from workers."""
        if self.jobs <= 1:
            for index in range(self.count):
                yield index, self.make(index)
            self.meanwhile_made.extend(self.meanwhile)
            return
        plan = chunks([self.group(i) for i in range(self.count)])
        yield from _parallel(self.make, plan, self.jobs, self.meanwhile, self.meanwhile_made)


class _Queue:
    """The chunks still to take and the lowest failing index known, shared by the processes forked after it."""

    def __init__(self, context: Any, plan: list[list[int]], count: int) -> None:
        self.plan = plan
        self.next = context.Value("q", 0)
        self.lowest = context.Value("q", count)  # the lowest index known to fail; count: none

    def take(self) -> list[int] | None:
        """The next chunk's outputs still worth making (those below the lowest failure); None once all are taken."""
        while True:
            with self.next.get_lock():
                taken = self.next.value
                self.next.value = taken + 1
            if taken >= len(self.plan):
                return None
            lowest = self.lowest.value
            chunk = [index for index in self.plan[taken] if index < lowest]
            if chunk:
                return chunk

    def failed(self, index: int) -> None:
        with self.lowest.get_lock():
            if index < self.lowest.value:
                self.lowest.value = index

    def worth(self, index: int) -> bool:
        lowest: int = self.lowest.value
        return index < lowest


def _parallel(
    make: Callable[[int], T], plan: list[list[int]], jobs: int, meanwhile: Iterator[Any], meanwhile_made: list[Any]
) -> Iterator[tuple[int, T]]:
    """jobs - 1 forked workers and this process take the chunks of plan in turn; this one first makes what
    meanwhile gives (collected in meanwhile_made), reading the workers' records between two of those."""
    context = multiprocessing.get_context("fork")
    count = 1 + max((index for chunk in plan for index in chunk), default=-1)
    queue = _Queue(context, plan, count)
    live: dict[Connection, multiprocessing.process.BaseProcess] = {}
    failed: tuple[int, BaseException] | None = None  # the failure at the lowest index so far

    def fail(index: int, error: BaseException) -> None:
        nonlocal failed
        if failed is None or index < failed[0]:
            failed = (index, error)

    def receive(timeout: float | None) -> Iterator[tuple[int, T]]:
        """What the workers ready within timeout have sent."""
        for conn in wait(list(live), timeout):
            assert isinstance(conn, Connection)
            process = live[conn]
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
                if failed is None:
                    yield from message[1]
            elif message[0] == "failed":
                index, error = message[1], message[2]
                error.__cause__ = RemoteTraceback(message[3])
                fail(index, error)
            else:  # "end"
                _end(live.pop(conn), conn)

    try:
        for _ in range(jobs - 1):
            receive_end, send = context.Pipe(duplex=False)
            worker = context.Process(target=_work, args=(make, queue, send), daemon=True)
            worker.start()
            send.close()  # the worker's end: the next worker forked must not hold it open
            live[receive_end] = worker
        later: BaseException | None = None  # a failure in meanwhile: raised only if no output fails
        try:
            for made in meanwhile:
                meanwhile_made.append(made)
                if live:
                    yield from receive(0)  # a worker waits while its pipe is full
        except Exception as err:
            later = err
        for index, result, error in _taken(queue, make, Exception):
            if error is not None:
                fail(index, error)
                continue
            if failed is None:
                yield index, cast(T, result)  # made without error
            if live:
                yield from receive(0)
        while live:
            yield from receive(None)
        if failed is not None:
            raise failed[1]
        if later is not None:
            raise later
    finally:
        for conn, process in live.items():
            _end(process, conn, stop=True)


def _taken(
    queue: _Queue, make: Callable[[int], T], catching: type[BaseException]
) -> Iterator[tuple[int, T | None, BaseException | None]]:
    """The outputs of the chunks this process takes from queue, made while still worth making (below the
    lowest failure): (index, made, None), or (index, None, error) for one that raised `catching`, recorded as
    failed. The parent and each worker take chunks this one way."""
    while (chunk := queue.take()) is not None:
        for index in chunk:
            if not queue.worth(index):
                break
            try:
                made = make(index)
            except catching as err:
                queue.failed(index)
                yield index, None, err
                continue
            yield index, made, None


def _end(process: multiprocessing.process.BaseProcess, conn: Connection, stop: bool = False) -> None:
    if stop and process.is_alive():
        process.terminate()
    process.join()
    conn.close()


def _work(make: Callable[[int], object], queue: _Queue, send: Connection) -> None:
    """In a worker: make the outputs of each chunk taken, sending (index, record) in batches; a failure is sent
    and the outputs below it still made (one of them may fail first in a one-process build), their records not."""
    batch: list[tuple[int, object]] = []
    failing = False
    for index, made, err in _taken(queue, make, BaseException):
        if err is not None:
            if batch:
                send.send(("made", batch))
                batch = []
            send.send(("failed", index, _portable(err), "".join(traceback.format_exception(err))))
            if not isinstance(err, Exception):  # interrupted, or told to exit: no more
                send.close()
                return
            failing = True
            continue
        if not failing:
            batch.append((index, made))
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
    threshold = gc.get_threshold()
    # Rendering makes and drops millions of small containers, nearly all freed by their reference counts: a
    # young collection every YOUNG allocations instead of every 700 visits what lives a tenth as often (each
    # visits about the same few survivors), and so sends fewer to the older generations' collections.
    gc.set_threshold(max(threshold[0], YOUNG), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()  # a long-lived process (catalogue serve) must be able to collect this build's objects

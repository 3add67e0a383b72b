"""Run code from several threads at once, for the tests of races between requests."""

import threading
import time

from django.db import connection


def run_concurrently(target, items, *, timeout=30):
    """Call ``target(item)`` for each of ``items``, each from a thread of its own (so with a
    database connection of its own, closed when the call ends), all released together by a
    barrier.

    Returns ``(results, errors)``: what each call returned, in the order of ``items``
    (``None`` for a call that raised), and the exceptions raised, in the order they were
    raised. A thread still running ``4 * timeout`` seconds after the release adds a
    ``TimeoutError`` to the errors."""
    items = list(items)
    if not items:
        raise ValueError("run_concurrently needs at least one item")
    barrier = threading.Barrier(len(items))
    results = [None] * len(items)
    errors = []
    lock = threading.Lock()

    def worker(index, item):
        try:
            barrier.wait(timeout=timeout)
            results[index] = target(item)
        except Exception as error:  # noqa: BLE001 - handed back to the test, which asserts
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(index, item), daemon=True)
        for index, item in enumerate(items)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 4 * timeout
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        errors.append(TimeoutError(f"{stuck} of {len(threads)} threads still running"))
    return results, errors

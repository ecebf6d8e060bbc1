"""Keeping the program's memory small on devices that have little of it."""

from __future__ import annotations

import ctypes
import logging

_LOGGER = logging.getLogger(__name__)
M_ARENA_MAX = -8
"""glibc's ``mallopt`` setting for the most memory arenas (malloc.h)."""
ARENAS = 1


def fewer_allocator_arenas(arenas: int = ARENAS) -> bool:
    """Let at most ``arenas`` memory arenas serve the program's threads (glibc only;
    False elsewhere). glibc gives a thread that allocates much an arena of its own,
    which keeps what it held: answers decoded on the main thread and on the lookahead's
    worker (``skill.lookahead``) peaked at 234 MB, 210 MB with one arena (the same
    with two, where the main thread and one worker each still have their own). The
    threads that share it allocate little at a time, under Python's lock for the most
    part. Call it before the threads start."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(M_ARENA_MAX, arenas))
    if not done:
        _LOGGER.debug("the allocator kept its own number of arenas")
    return done

"""Counters the factories number their objects with, restarted before each test (root conftest): a test gets
the same names, codes and identifiers whichever tests ran before it in its worker, so a failure reproduces."""

import itertools


class Serial:
    _every: list["Serial"] = []

    def __init__(self) -> None:
        self._count = itertools.count(1)
        Serial._every.append(self)

    def __next__(self) -> int:
        return next(self._count)

    @classmethod
    def restart_all(cls) -> None:
        for serial in cls._every:
            serial._count = itertools.count(1)

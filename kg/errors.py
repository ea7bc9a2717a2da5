"""One error type for everything a user can get wrong.

The CLI turns a :class:`KGError` into a single line ``kg: <where>: <problem>``
and exit code ``code`` (2 for bad input), never a traceback.
"""
from __future__ import annotations


class KGError(Exception):
    def __init__(self, message: str, where: str | None = None, code: int = 2):
        super().__init__(message)
        self.message = message
        self.where = where
        self.code = code

    def __reduce__(self):  # survives the trip back from a worker process
        return (type(self), (self.message, self.where, self.code))

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

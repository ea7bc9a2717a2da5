"""Keep a process off the network: what kg serve's query processes do before opening the store.

A SPARQL ``SERVICE`` clause makes Oxigraph send the query to any URL it names (its HTTP client
is compiled in, and pyoxigraph has no switch to turn it off). kg.sparql refuses such queries
by their text; this makes the refusal not depend on that reading: the process calling
:func:`deny_network` can no longer create an internet socket (IPv4 or IPv6) nor an io_uring
(which could create one behind the filter), for the rest of its life. Pipes, files and Unix
sockets still work, which is all a query process needs. A SERVICE then fails in Oxigraph with
``PermissionError``, before any connection is made.

It is a seccomp filter loaded through libseccomp (the ``pyseccomp`` package, ctypes over the
system's libseccomp.so.2, which Linux distributions ship). Where either is missing (not Linux,
no libseccomp), :func:`deny_network` returns False and only the text check stands; kg serve
says so when it starts.
"""
from __future__ import annotations

import errno
import socket


def deny_network() -> bool:
    """Forbid this process (and its threads and children) new IPv4/IPv6 sockets; True when done."""
    try:
        import pyseccomp as seccomp  # needs libseccomp.so.2 at import
    except (ImportError, OSError, RuntimeError):
        return False
    try:
        f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for family in (socket.AF_INET, socket.AF_INET6):
            f.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
        try:
            f.add_rule(seccomp.ERRNO(errno.EPERM), "io_uring_setup")
        except (ValueError, RuntimeError, OSError):  # an older libseccomp that does not know it
            pass
        f.load()  # sets no_new_privs first, so no root is needed
    except Exception:  # noqa: BLE001 - libseccomp's errors are of several types; any means "not sandboxed"
        return False
    return True


def network_denied() -> bool:
    """Whether this process may not create an internet socket (for tests and the server's check)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    except OSError:
        return False
    return False

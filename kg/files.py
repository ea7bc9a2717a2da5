"""Writing files so that a reader never sees half of one: the one atomic writer."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Union

from kg.errors import KGError

Content = Union[str, bytes, Callable[[str], None]]


def atomic_write(dest: str | os.PathLike, content: Content) -> Path:
    """Write ``dest`` through a temporary file beside it, then rename it into place.

    ``content`` is text (written as UTF-8 with ``\\n`` line ends), bytes, or a function
    that writes the file whose path it is given (for libraries that want a path, such as
    networkx's GraphML writer). Readers see the old file or the new one; on any error the
    temporary file is removed and a :class:`KGError` names ``dest``. The new file gets the
    permissions a plain ``open`` would give it.
    """
    dest = Path(dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    if not parent.is_dir():
        raise KGError("directory does not exist", str(parent))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + dest.name, suffix=".tmp", dir=parent)
    except OSError as e:
        raise KGError(f"cannot write: {e.strerror or e}", str(dest)) from None
    try:
        if callable(content):
            os.close(fd)
            content(tmp)
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, dest)
    except OSError as e:
        raise KGError(f"cannot write: {e.strerror or e}", str(dest)) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest

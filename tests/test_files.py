"""kg.files.atomic_write: the old file or the new one, never half, never a temp file left."""
import os

import pytest

from kg.errors import KGError
from kg.files import atomic_write


@pytest.mark.parametrize("content, expected", [
    ("二(一)3\n", "二(一)3\n".encode()),
    (b"\x00\x01", b"\x00\x01"),
    (lambda p: open(p, "w", encoding="utf-8").write("by path"), b"by path"),
])
def test_writes_text_bytes_or_through_a_path(tmp_path, content, expected):
    dest = tmp_path / "f"
    dest.write_text("old", encoding="utf-8")
    assert atomic_write(dest, content) == dest
    assert dest.read_bytes() == expected and os.listdir(tmp_path) == ["f"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    dest = tmp_path / "f"
    dest.write_text("old", encoding="utf-8")

    def fail(path):
        open(path, "w").write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(KGError, match="No space left") as e:
        atomic_write(dest, fail)
    assert e.value.where == str(dest)
    assert dest.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["f"]


def test_a_missing_folder_is_one_error_naming_it(tmp_path):
    with pytest.raises(KGError, match="directory does not exist") as e:
        atomic_write(tmp_path / "no" / "f", "x")
    assert e.value.where == str(tmp_path / "no")

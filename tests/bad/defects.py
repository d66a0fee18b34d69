"""defects.py — shared by the make.py of the tests/bad cases: each function puts one defect
into the file ARCHIVE/REL of the temporary archive copy (text given as str is written as UTF-8).
The symlink_* cases that move a file outside the archive use link_outside.py instead."""
import os
import socket


def _bytes(data):
    """data as bytes: a str is encoded as UTF-8."""
    return data.encode("utf-8") if isinstance(data, str) else data


def replace_bytes(archive, rel, old, new, count=-1):
    """Replaces old by new in ARCHIVE/REL: everywhere, or only the first count times."""
    path = os.path.join(archive, rel)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data.replace(_bytes(old), _bytes(new), count))


def append_bytes(archive, rel, data):
    """Adds data at the end of ARCHIVE/REL."""
    with open(os.path.join(archive, rel), "ab") as f:
        f.write(_bytes(data))


def cut_at(archive, rel, marker, extra=0, last=False):
    """Truncates ARCHIVE/REL extra bytes after the start of the first (last: the last) marker."""
    path = os.path.join(archive, rel)
    with open(path, "rb") as f:
        data = f.read()
    at = data.rindex(_bytes(marker)) if last else data.index(_bytes(marker))
    with open(path, "wb") as f:
        f.write(data[:at + extra])


def replace_with_fifo(archive, rel):
    """Replaces ARCHIVE/REL by a FIFO with no writer (opening it for reading blocks forever)."""
    path = os.path.join(archive, rel)
    os.remove(path)
    os.mkfifo(path)


def replace_with_directory(archive, rel):
    """Replaces ARCHIVE/REL by an empty directory."""
    path = os.path.join(archive, rel)
    os.remove(path)
    os.mkdir(path)


def replace_with_socket(archive, rel):
    """Replaces ARCHIVE/REL by a Unix socket (open() fails with ENXIO, for root too)."""
    path = os.path.join(archive, rel)
    os.remove(path)
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.close()


def replace_with_symlink(archive, rel, target):
    """Replaces ARCHIVE/REL by a symbolic link to target."""
    path = os.path.join(archive, rel)
    os.remove(path)
    os.symlink(target, path)

"""link_outside.py — shared by the symlink_* cases' make.py: moves ARCHIVE/REL to ../outside/
and leaves a symbolic link to it in its place, so following the link would succeed and only a
refusal of the link passes."""
import os


def link_outside(archive, rel):
    outside = os.path.abspath(os.path.join(archive, "..", "outside"))
    os.makedirs(outside, exist_ok=True)
    target = os.path.join(outside, os.path.basename(rel))
    os.rename(os.path.join(archive, rel), target)
    os.symlink(target, os.path.join(archive, rel))

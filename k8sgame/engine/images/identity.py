"""Who a container's processes run as, as containerd and runc decide it.

The kubelet hands the runtime the pod's ``securityContext`` (``RunAs``); the runtime resolves
it against the image: an explicit ``runAsUser`` wins over the image's ``USER``, a named user
is looked up in the image's ``/etc/passwd`` (its uid, primary group and home), the primary
group comes from ``runAsGroup`` or else from that passwd entry (else 0), and the process
also holds the groups ``/etc/group`` lists the user in plus the pod's ``fsGroup`` and
``supplementalGroups``. runc sets ``HOME`` from the passwd entry when the environment has
none (``/`` for a uid the image does not know).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RunAs:
    """What a container's effective security context asks of the runtime."""

    user: int | None = None  # runAsUser
    group: int | None = None  # runAsGroup
    supplemental_groups: tuple[int, ...] = ()  # fsGroup and supplementalGroups
    read_only_root: bool = False  # readOnlyRootFilesystem


@dataclass(frozen=True)
class Identity:
    """The user a container's processes run as."""

    uid: int = 0
    gid: int = 0
    groups: tuple[int, ...] = (0,)  # what getgroups() returns: sorted, with the primary
    name: str | None = "root"  # the passwd name of ``uid``, None when the image has none
    home: str = "/root"


ROOT = Identity()


def image_user_id(user: str) -> tuple[int | None, str]:
    """containerd's reading of an image's ``USER`` (``user[:group]``): a numeric uid, or a
    user name (an empty name: no USER, which the kubelet treats as uid 0). The catalog's
    default ``root`` stands for an image without USER."""
    name = user.split(":", 1)[0]
    if name in ("", "root"):
        return 0, ""
    if name.isdigit():
        return int(name), ""
    return None, name


def _table(text: str, fields: int) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) >= fields and not line.startswith("#"):
            rows.append(parts)
    return rows


def passwd_entry(
    files: Mapping[str, str], uid: int | None = None, name: str | None = None
) -> tuple[str, int, int, str] | None:
    """The ``/etc/passwd`` row (name, uid, gid, home) for a uid or a name, or None."""
    for parts in _table(files.get("/etc/passwd") or "", 7):
        if not (parts[2].isdigit() and parts[3].isdigit()):
            continue
        if (uid is not None and int(parts[2]) == uid) or (name is not None and parts[0] == name):
            return parts[0], int(parts[2]), int(parts[3]), parts[5]
    return None


def group_name(files: Mapping[str, str], gid: int) -> str | None:
    """The ``/etc/group`` name of ``gid`` (group 0 is root in every image), or None."""
    for parts in _table(files.get("/etc/group") or "", 3):
        if parts[2].isdigit() and int(parts[2]) == gid:
            return parts[0]
    return "root" if gid == 0 else None


def _member_groups(files: Mapping[str, str], name: str | None) -> list[int]:
    if not name:
        return []
    found = []
    for parts in _table(files.get("/etc/group") or "", 4):
        if parts[2].isdigit() and name in parts[3].split(","):
            found.append(int(parts[2]))
    return found


def resolve_identity(image_user: str, files: Mapping[str, str], run_as: RunAs) -> Identity:
    """The identity a container of an image with ``USER image_user`` and ``files`` runs as
    under ``run_as``."""
    image_uid, image_name = image_user_id(image_user)
    if run_as.user is not None:
        entry = passwd_entry(files, uid=run_as.user)
        uid = run_as.user
    elif image_uid is not None:
        entry = passwd_entry(files, uid=image_uid)
        uid = image_uid
    else:
        # A name the image's passwd lacks (the catalog leaves some passwd files out): its
        # uid is unknown, so it counts as 0 (writes as before; id shows uid 0).
        entry = passwd_entry(files, name=image_name)
        uid = entry[1] if entry is not None else 0
    gid = run_as.group if run_as.group is not None else (entry[2] if entry is not None else 0)
    name: str | None = entry[0] if entry is not None else None
    if name is None:
        # An image whose passwd the catalog leaves out keeps its USER's name (whoami).
        name = image_name if run_as.user is None and image_name else None
        name = name or ("root" if uid == 0 else None)
    if entry is not None:
        home = entry[3]
    elif run_as.user is None and image_name:
        home = f"/home/{image_name}"
    elif uid == 0:
        home = "/root"
    else:
        home = "/"
    groups = sorted({gid, *_member_groups(files, name), *run_as.supplemental_groups})
    return Identity(uid, gid, tuple(groups), name, home)

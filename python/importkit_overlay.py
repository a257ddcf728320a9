"""Overlays for stock CPython: load the named code objects appended to a module's ``.pyc``.

An overlay ``.pyc`` is an ordinary pyc with more after the module's code object::

    [16-byte pyc header][module code (marshal)][overlay code (marshal)]...[directory]

    directory = u32 count
                count x (name as a marshalled constant, u32 absolute offset of its code object)
                u32 absolute offset of the directory start          (all little-endian)

``marshal.loads`` stops after the first object, so CPython imports such a file as a plain sourceless
module; this helper runs the rest on demand::

    import importkit_overlay, mod
    importkit_overlay.load_overlay(mod, "extras")          # 1: loaded now
    importkit_overlay.load_overlay(mod, "extras")          # 2: already loaded
    importkit_overlay.load_overlay(mod, "extras", force_reload=True)   # 1 again

Semantics (the same as importkit's ``loadOverlay``):

* ``__overlays_available__``: a tuple of every overlay name in directory order, set on the module the first
  time its directory is read (the first ``load_overlay`` or ``install``).
* ``__overlays__``: the set of names loaded so far, created by the first successful load (after the
  overlay's code ran). A name is added once its code has run without raising; a failing overlay stays
  unloaded and its exception propagates.
* The code runs as ``exec(code, module.__dict__)``: it may define, change or delete any module name.
* Consistency: the file's ``st_mtime_ns`` and ``st_size`` are recorded when its directory is first read;
  a later load from a file that changed since raises :class:`OverlayError` (the code would not belong to
  the module that is running). Call :func:`install` right after the import to pin the file as early as
  possible. ``importlib.reload`` (a new ``__spec__``) makes the helper read and pin the file again.
* Lazy attributes: overlays named ``('lazy', 'attr')`` are loaded the first time ``module.attr`` is looked up
  and missing, through a module-level ``__getattr__`` that :func:`install` sets (and the first
  ``load_overlay`` sets, when the module has lazy overlays). A module's own ``__getattr__`` is still
  consulted for other names.
* Unknown names, a module without a pyc ``__file__`` or a file without a directory raise
  :class:`OverlayError`, an ``ImportError`` (``name`` = the module, ``path`` = the file).

Reads: the last ``min(size, 4096)`` bytes in one read; a second read only when the directory starts before
that; one more read for the code object unless it lies in the bytes already read.

Pure standard library, Python 3.8+.
"""

import marshal
import os
import struct
import weakref

__all__ = ["OverlayError", "load_overlay", "install", "overlay_directory", "read_overlay_directory"]

TAIL_SIZE = 4096
HEADER_SIZE = 16
_U32 = struct.Struct("<I")


class OverlayError(ImportError):
    """An overlay that does not exist, cannot be read, or belongs to a file that changed."""


class _Directory(object):
    """One file's directory: names in order, their code offsets, and the code objects' ends."""

    __slots__ = ("path", "stamp", "names", "offsets", "ends", "start", "tail", "tail_start")

    def __init__(self, path, stamp, names, offsets, start, tail, tail_start):
        self.path = path
        self.stamp = stamp
        self.names = names
        self.offsets = offsets
        self.start = start
        self.tail = tail
        self.tail_start = tail_start
        # A code object ends where the next one (by offset) starts; the last one where the directory does.
        ordered = sorted(set(offsets)) + [start]
        following = {offset: ordered[i + 1] for i, offset in enumerate(ordered[:-1])}
        self.ends = [following[offset] for offset in offsets]

    def index(self, name):
        try:
            return self.names.index(name)
        except ValueError:
            return -1


# Directories by module, read once per module (and dropped with it).
_directories = weakref.WeakKeyDictionary()


def _error(message, module, path):
    return OverlayError(message, name=getattr(module, "__name__", None), path=path)


def _stamp(stat):
    return (stat.st_mtime_ns, stat.st_size)


def read_overlay_directory(data, start, size, path="<overlay>"):
    """Parse a directory from ``data`` (the file's bytes from offset ``start``; ``size`` is the file's size).

    Returns ``[(name, offset), ...]`` and the directory's own start. Raises ``ValueError`` when the bytes
    are not a directory.
    """
    import io

    def u32_at(absolute):
        i = absolute - start
        if i < 0 or i + 4 > len(data):
            raise ValueError("%s: offset %d: truncated overlay directory" % (path, absolute))
        return _U32.unpack_from(data, i)[0]

    directory_start = u32_at(size - 4)
    if directory_start < HEADER_SIZE or directory_start > size - 8:
        raise ValueError("%s: offset %d: bad overlay directory offset %d" % (path, size - 4, directory_start))
    if directory_start < start:
        raise ValueError("%s: directory starts before the bytes given" % path)
    count = u32_at(directory_start)
    stream = io.BytesIO(bytes(data[directory_start - start + 4 : size - 4 - start]))
    entries = []
    for _ in range(count):
        where = directory_start + 4 + stream.tell()
        try:
            name = marshal.load(stream)
        except (EOFError, ValueError, TypeError) as error:
            raise ValueError("%s: offset %d: bad overlay name: %s" % (path, where, error))
        raw = stream.read(4)
        if len(raw) != 4:
            raise ValueError("%s: offset %d: truncated overlay directory" % (path, where))
        offset = _U32.unpack(raw)[0]
        if offset < HEADER_SIZE or offset >= directory_start or (entries and offset <= entries[-1][1]):
            raise ValueError("%s: offset %d: overlay code offset %d out of range or order" % (path, where, offset))
        try:
            _check_name(name)
        except TypeError as error:
            raise ValueError("%s: offset %d: %s" % (path, where, error))
        if isinstance(name, str) and name.startswith("__"):
            raise ValueError("%s: offset %d: reserved overlay name %r" % (path, where, name))
        if any(name == seen for seen, _ in entries):
            raise ValueError("%s: offset %d: duplicate overlay name %r" % (path, where, name))
        entries.append((name, offset))
    if stream.tell() != size - 4 - directory_start - 4:
        raise ValueError("%s: offset %d: overlay directory has trailing bytes" % (path, directory_start))
    return entries, directory_start


def _read_directory(module):
    path = getattr(module, "__file__", None)
    if not isinstance(path, str):
        raise _error("module %r has no __file__ to read overlays from" % (module.__name__,), module, None)
    try:
        with open(path, "rb") as f:
            stat = os.fstat(f.fileno())
            size = stat.st_size
            tail_start = max(0, size - TAIL_SIZE)
            f.seek(tail_start)
            tail = f.read(size - tail_start)  # read 1
            if size < HEADER_SIZE + 8:
                raise ValueError("%s: too short for an overlay directory" % path)
            directory_start = _U32.unpack_from(tail, len(tail) - 4)[0]
            data, start = tail, tail_start
            if HEADER_SIZE <= directory_start < tail_start:
                f.seek(directory_start)
                data = f.read(tail_start - directory_start) + tail  # read 2: a directory beyond the tail
                start = directory_start
    except OSError as error:
        raise _error("cannot read overlays of %r: %s" % (module.__name__, error), module, path)
    try:
        entries, directory_start = read_overlay_directory(data, start, size, path)
    except ValueError as error:
        raise _error("%r has no overlay directory: %s" % (module.__name__, error), module, path)
    names = [name for name, _ in entries]
    offsets = [offset for _, offset in entries]
    return _Directory(path, _stamp(stat), names, offsets, directory_start, data, start)


def overlay_directory(module):
    """The module's directory (read on first use, then cached): ``[(name, offset, size), ...]``."""
    directory = _directory(module)
    return [
        (name, offset, end - offset)
        for name, offset, end in zip(directory.names, directory.offsets, directory.ends)
    ]


def _directory(module):
    cached = _directories.get(module)
    # importlib.reload gives the module a new __spec__: then the file is read (and pinned) again.
    spec = getattr(module, "__spec__", None)
    if cached is not None and cached[0] is spec:
        return cached[1]
    directory = _read_directory(module)
    _directories[module] = (spec, directory)
    module.__dict__["__overlays_available__"] = tuple(directory.names)
    if any(_is_lazy(name) for name in directory.names):
        _install_getattr(module)
    return directory


def _is_lazy(name):
    return isinstance(name, tuple) and len(name) == 2 and name[0] == "lazy" and isinstance(name[1], str)


def _check_name(name):
    if isinstance(name, bool) or not isinstance(name, (str, int, tuple)):
        raise TypeError("overlay names are str, int or tuples of those, not %s" % type(name).__name__)
    if isinstance(name, tuple):
        for item in name:
            _check_name(item)


def _code(module, directory, index):
    """The code object at ``index``: from the bytes already read, or one more read."""
    offset, end = directory.offsets[index], directory.ends[index]
    try:
        stat = os.stat(directory.path)
    except OSError as error:
        raise _error("cannot read overlays of %r: %s" % (module.__name__, error), module, directory.path)
    if _stamp(stat) != directory.stamp:
        raise _error(
            "overlay file %s changed since module %r was loaded" % (directory.path, module.__name__),
            module,
            directory.path,
        )
    if offset >= directory.tail_start:
        data = directory.tail[offset - directory.tail_start : end - directory.tail_start]
    else:
        try:
            with open(directory.path, "rb") as f:
                f.seek(offset)
                data = f.read(end - offset)
        except OSError as error:
            raise _error("cannot read overlays of %r: %s" % (module.__name__, error), module, directory.path)
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError) as error:
        raise _error(
            "bad overlay %r in %s at offset %d: %s" % (directory.names[index], directory.path, offset, error),
            module,
            directory.path,
        )
    if type(code).__name__ != "code":
        raise _error(
            "overlay %r in %s is not a code object" % (directory.names[index], directory.path),
            module,
            directory.path,
        )
    return code


def load_overlay(module, name, force_reload=False):
    """Run overlay ``name`` of ``module`` in its namespace. Returns 1 when it ran, 2 when it was already
    loaded (and ``force_reload`` is false)."""
    _check_name(name)
    directory = _directory(module)
    index = directory.index(name)
    if index < 0:
        raise _error(
            "module %r has no overlay %r" % (module.__name__, name),
            module,
            directory.path,
        )
    namespace = module.__dict__
    loaded = namespace.get("__overlays__")
    if isinstance(loaded, set) and name in loaded and not force_reload:
        return 2
    code = _code(module, directory, index)
    exec(code, namespace)
    loaded = namespace.get("__overlays__")
    if not isinstance(loaded, set):
        loaded = namespace["__overlays__"] = set()
    loaded.add(name)
    return 1


def _install_getattr(module):
    namespace = module.__dict__
    previous = namespace.get("__getattr__")
    if getattr(previous, "_importkit_overlay", False):
        return

    def __getattr__(attr):
        cached = _directories.get(module)
        if cached is not None and cached[1].index(("lazy", attr)) >= 0:
            load_overlay(module, ("lazy", attr))
            if attr in namespace:
                return namespace[attr]
        if previous is not None:
            return previous(attr)
        raise AttributeError("module %r has no attribute %r" % (module.__name__, attr))

    __getattr__._importkit_overlay = True
    namespace["__getattr__"] = __getattr__


def install(module):
    """Read ``module``'s directory now (pinning the file's mtime and size) and, when it has lazy overlays,
    set the module-level ``__getattr__`` that loads them. Returns the module."""
    _directory(module)
    return module

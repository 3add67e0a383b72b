"""Libraries of an H5P package: how dependencies name them, which are needed to play a
content, and which an upload may install (trust tiers: only users allowed to install
libraries bring new ones or higher patches)."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MACHINE_NAME_RE = re.compile(r"^[\w.-]{1,255}$")
VERSION_RE = re.compile(r"^\d{1,5}$")


@dataclass(frozen=True, order=True)
class LibraryRef:
    """A library as dependencies name it: machine name and major.minor version."""

    machine_name: str
    major: int
    minor: int

    def __str__(self):
        return f"{self.machine_name} {self.major}.{self.minor}"

    @property
    def folder_name(self):
        return f"{self.machine_name}-{self.major}.{self.minor}"


@dataclass
class PackageLibrary:
    """A library folder of the package, with its library.json."""

    ref: LibraryRef
    patch: int
    folder: str
    metadata: dict
    files: list = field(default_factory=list)  # ZipInfo of every file to extract

    @property
    def version(self):
        return f"{self.ref.major}.{self.ref.minor}.{self.patch}"

    def dependencies(self, kinds=("preloadedDependencies", "dynamicDependencies")):
        return _dependency_refs(self.metadata, kinds)


def _version(value):
    """A version number as H5P packages write it: an int or a string of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value <= 99999:
        return value
    if isinstance(value, str) and VERSION_RE.match(value):
        return int(value)
    return None


def _dependency_refs(data, kinds):
    refs = []
    for kind in kinds:
        dependencies = data.get(kind)
        if not isinstance(dependencies, list):
            continue
        for dependency in dependencies:
            ref = _dependency_ref(dependency)
            if ref is not None:
                refs.append(ref)
    return refs


def _dependency_ref(dependency):
    if not isinstance(dependency, dict):
        return None
    name = dependency.get("machineName")
    major = _version(dependency.get("majorVersion"))
    minor = _version(dependency.get("minorVersion"))
    if not isinstance(name, str) or not MACHINE_NAME_RE.match(name) or None in (major, minor):
        return None
    return LibraryRef(name, major, minor)


class DependencyChecks:
    """Every dependency present or installed; new libraries only for trusted uploaders."""

    def check_dependencies(self, h5p_json, libraries):
        needs = {}  # ref -> file that first needs it
        for ref in _dependency_refs(h5p_json, ["preloadedDependencies"]):
            needs.setdefault(ref, "h5p.json")
        all_kinds = ("preloadedDependencies", "dynamicDependencies", "editorDependencies")
        for library in libraries.values():
            for ref in library.dependencies(all_kinds):
                needs.setdefault(ref, f"{library.folder}/library.json")
        installed = dict(self.find_installed(set(needs) | set(libraries)))
        for ref, needed_by in sorted(needs.items()):
            if ref not in libraries and ref not in installed:
                self.fail(
                    "missing-dependency",
                    _(
                        "“%(file)s” needs the library %(library)s, which is neither in the "
                        "package nor installed on this site."
                    ),
                    file=needed_by,
                    library=str(ref),
                )
        to_install, new, upgrades = [], [], []
        for ref, library in sorted(libraries.items()):
            current = installed.get(ref)
            if current is not None and current.patch_version >= library.patch:
                continue
            described = f"{ref.machine_name} {library.version} (“{library.folder}/”)"
            if self.may_install_libraries:
                to_install.append(library)
            elif current is None:
                new.append(described)
            else:
                upgrades.append(
                    _("%(library)s, installed: %(installed)s")
                    % {"library": described, "installed": current.version}
                )
        if new:
            self.fail(
                "library-not-installed",
                _(
                    "The package brings libraries that are not installed on this site: "
                    "%(libraries)s. Only users allowed to install H5P libraries may add "
                    "libraries; ask a site administrator to import this package."
                ),
                libraries="; ".join(new),
            )
        if upgrades:
            self.fail(
                "library-upgrade-not-allowed",
                _(
                    "The package brings newer versions of installed libraries: "
                    "%(libraries)s. Only users allowed to install H5P libraries may upgrade "
                    "libraries; ask a site administrator to import this package."
                ),
                libraries="; ".join(upgrades),
            )
        if self.errors:
            return [], []
        return to_install, self.play_closure(h5p_json, libraries, installed, to_install)

    def play_closure(self, h5p_json, libraries, installed, to_install):
        """Libraries the content loads to play, as they will be after the import."""
        effective = {ref: installed[ref].metadata for ref in installed}
        effective.update({library.ref: library.metadata for library in to_install})
        for ref, library in libraries.items():
            effective.setdefault(ref, library.metadata)
        return play_closure(h5p_json, effective, self.find_installed)


def play_closure(h5p_json, known, find_installed):
    """The libraries (``LibraryRef``) a content loads to play: the preloaded and dynamic
    dependencies of h5p.json, recursively. ``known`` maps refs to library.json data;
    others are looked up with ``find_installed``."""
    known = dict(known)
    kinds = ("preloadedDependencies", "dynamicDependencies")
    pending = _dependency_refs(h5p_json, ["preloadedDependencies"])
    required = set()
    while pending:
        ref = pending.pop()
        if ref in required:
            continue
        if ref not in known:
            for key, library in find_installed({ref}).items():
                known[key] = library.metadata
        if ref not in known:
            continue  # checked when its dependent was installed; nothing to load
        required.add(ref)
        pending.extend(_dependency_refs(known[ref], kinds))
    return sorted(required)

"""Schema checks of an H5P package: h5p.json, content/content.json and every library's
library.json and language files, as H5P core reads them. Mixed into
``validator._Validator``."""

import json
import re

from django.utils.translation import gettext as _

from ..errors import H5PValidationError
from .libraries import MACHINE_NAME_RE, LibraryRef, PackageLibrary, _dependency_ref, _version

MAX_CORE_API = (1, 28)
LANGUAGE_CODE_RE = re.compile(r"^[-a-zA-Z]{1,10}$")
LANGUAGE_FILE_RE = re.compile(r"^(-?[a-z]+){1,7}\.json$")
EMBED_TYPES = frozenset({"iframe", "div"})
# library.json "license" values H5P core (libraryOptional) and Lumi's library schema allow.
H5P_LICENSES = frozenset(
    {
        "cc-by",
        "cc-by-sa",
        "cc-by-nd",
        "cc-by-nc",
        "cc-by-nc-sa",
        "cc-by-nc-nd",
        "pd",
        "cr",
        "MIT",
        "GPL1",
        "GPL2",
        "GPL3",
        "MPL",
        "MPL2",
    }
)


class SchemaChecks:
    """The JSON files of the package and the library folders they describe."""

    def load_json(self, name, code):
        try:
            data = json.loads(self.data[name].decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            self.fail(
                code.replace("-invalid", "-syntax"),
                _("“%(file)s” is not valid JSON (%(reason)s)."),
                file=name,
                reason=str(exc),
            )
            return None
        if not isinstance(data, dict):
            self.fail(
                code,
                _("“%(file)s” must hold a JSON object."),
                file=name,
                reason="",
            )
            return None
        return data

    def invalid_field(self, code, name, field_name, rule):
        self.fail(
            code,
            _("“%(file)s”: “%(field)s” %(rule)s."),
            file=name,
            field=field_name,
            rule=rule,
        )

    def check_title(self, code, name, data):
        title = data.get("title")
        if not isinstance(title, str) or not 1 <= len(title.strip()) <= 255:
            self.invalid_field(code, name, "title", _("is required: a text of 1 to 255 characters"))

    def check_dependency_list(self, code, name, data, key, required=False):
        value = data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.invalid_field(
                code,
                name,
                key,
                _("must be a non-empty list of libraries")
                if required
                else _("must be a list of libraries"),
            )
            return []
        refs = []
        for dependency in value:
            ref = _dependency_ref(dependency)
            if ref is None:
                self.invalid_field(
                    code,
                    name,
                    key,
                    _(
                        "must only list objects with a machineName, a majorVersion and a "
                        "minorVersion"
                    ),
                )
                return []
            refs.append(ref)
        return refs

    def check_h5p_json(self):
        name = "h5p.json"
        code = "h5p-json-invalid"
        data = self.load_json(name, code)
        if data is None:
            raise H5PValidationError(self.errors)
        self.check_title(code, name, data)
        language = data.get("language")
        if not isinstance(language, str) or not LANGUAGE_CODE_RE.match(language):
            self.invalid_field(
                code, name, "language", _("is required: a language code such as “en” or “pt-br”")
            )
        embed_types = data.get("embedTypes")
        if (
            not isinstance(embed_types, list)
            or not embed_types
            or not all(isinstance(kind, str) and kind in EMBED_TYPES for kind in embed_types)
        ):
            self.invalid_field(
                code, name, "embedTypes", _("is required: a list of “iframe” and/or “div”")
            )
        refs = self.check_dependency_list(code, name, data, "preloadedDependencies", True)
        main = data.get("mainLibrary")
        main_library = None
        if not isinstance(main, str) or not MACHINE_NAME_RE.match(main):
            self.invalid_field(
                code, name, "mainLibrary", _("is required: the machine name of a library")
            )
        elif refs:
            main_library = next((ref for ref in refs if ref.machine_name == main), None)
            if main_library is None:
                self.invalid_field(
                    code,
                    name,
                    "mainLibrary",
                    _("must be one of the libraries listed in “preloadedDependencies”"),
                )
        self.raise_if_failed()
        return data, main_library

    def check_content_json(self, content_infos):
        name = "content/content.json"
        if name not in self.data:
            self.fail(
                "missing-content-json",
                _("“%(file)s” has no content/content.json; it is not an H5P content package."),
                file=self.filename,
            )
            return
        self.load_json(name, "content-json-invalid")

    def check_libraries(self, library_infos):
        folders = {}
        for info in library_infos:
            folder = info.filename.split("/", 1)[0]
            folders.setdefault(folder, []).append(info)
        libraries = {}
        for folder, infos in sorted(folders.items()):
            library = self.check_library(folder, infos)
            if library is None:
                continue
            if library.ref in libraries:
                self.fail(
                    "duplicate-library",
                    _("%(library)s is in the package twice: in “%(folder)s/” and “%(other)s/”."),
                    library=str(library.ref),
                    folder=folder,
                    other=libraries[library.ref].folder,
                )
                continue
            libraries[library.ref] = library
        return libraries

    def check_library(self, folder, infos):
        name = f"{folder}/library.json"
        code = "library-json-invalid"
        if name not in self.data:
            self.fail(
                "missing-library-json",
                _("The folder “%(folder)s/” has no library.json; it is not an H5P library."),
                folder=folder,
                file=name,
            )
            return None
        data = self.load_json(name, code)
        if data is None:
            return None
        errors_before = len(self.errors)
        self.check_title(code, name, data)
        machine_name = data.get("machineName")
        if not isinstance(machine_name, str) or not MACHINE_NAME_RE.match(machine_name):
            self.invalid_field(
                code, name, "machineName", _("is required: letters, digits, “.”, “-” or “_”")
            )
        versions = {}
        for key in ("majorVersion", "minorVersion", "patchVersion"):
            versions[key] = _version(data.get(key))
            if versions[key] is None:
                self.invalid_field(code, name, key, _("is required: a whole number"))
        if data.get("runnable") not in (0, 1, "0", "1", True, False):
            self.invalid_field(code, name, "runnable", _("is required: 0 or 1"))
        for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
            self.check_dependency_list(code, name, data, key)
        if len(self.errors) > errors_before:
            return None
        ref = LibraryRef(machine_name, versions["majorVersion"], versions["minorVersion"])
        if folder not in (machine_name, ref.folder_name):
            self.fail(
                "library-folder-name",
                _(
                    "“%(file)s” describes %(library)s, so its folder must be named "
                    "“%(expected)s”, not “%(folder)s”."
                ),
                file=name,
                library=str(ref),
                expected=ref.folder_name,
                folder=folder,
            )
            return None
        names = {info.filename for info in infos}
        for key in ("preloadedJs", "preloadedCss"):
            files = data.get(key) or []
            if not isinstance(files, list) or not all(
                isinstance(item, dict) and isinstance(item.get("path"), str) for item in files
            ):
                self.invalid_field(code, name, key, _("must be a list of {“path”: …} objects"))
                continue
            for item in files:
                if f"{folder}/{item['path']}" not in names:
                    self.fail(
                        "missing-preloaded-file",
                        _("“%(file)s” lists “%(path)s” in %(key)s, but the package lacks it."),
                        file=name,
                        path=item["path"],
                        key=key,
                    )
        self.check_core_api(name, ref, data)
        self.check_language_files(folder, infos)
        return PackageLibrary(
            ref=ref,
            patch=versions["patchVersion"],
            folder=folder,
            metadata=data,
            files=infos,
        )

    def check_core_api(self, name, ref, data):
        core_api = data.get("coreApi")
        if core_api is None:
            return
        major = _version(core_api.get("majorVersion")) if isinstance(core_api, dict) else None
        minor = _version(core_api.get("minorVersion")) if isinstance(core_api, dict) else None
        if major is None or minor is None:
            self.invalid_field(
                "library-json-invalid",
                name,
                "coreApi",
                _("must give a majorVersion and a minorVersion"),
            )
        elif (major, minor) > MAX_CORE_API:
            self.fail(
                "core-api",
                _(
                    "“%(file)s”: %(library)s needs H5P core %(needed)s; this site provides "
                    "H5P core %(provided)s."
                ),
                file=name,
                library=str(ref),
                needed=f"{major}.{minor}",
                provided="{}.{}".format(*MAX_CORE_API),
            )

    def check_language_files(self, folder, infos):
        prefix = f"{folder}/language/"
        for info in infos:
            if not info.filename.startswith(prefix) or "/" in info.filename[len(prefix) :]:
                continue
            base = info.filename[len(prefix) :]
            if not LANGUAGE_FILE_RE.match(base):
                self.fail(
                    "language-file-name",
                    _(
                        "“%(file)s”: language files must be named by a lowercase language "
                        "code, like “fr.json” or “pt-br.json”."
                    ),
                    file=info.filename,
                )
            else:
                self.load_json(info.filename, "language-file-invalid")

"""Build step of the wheel (the metadata is in pyproject.toml).

The site-wide templates, static files and their catalogue live at the top of the checkout
(``templates/``, ``static/``, ``templates/locale``), where the runnable site finds them
through its settings. An installed plugin has no checkout, so the wheel carries them as the
``templates``, ``static`` and ``locale`` of the ``learning.sitewide`` app, which a host site
adds to ``INSTALLED_APPS``. Every translation catalogue is compiled here (``.mo`` files are
not in git), so a wheel built from a clean checkout is translated. Needs GNU gettext's
``msgfmt``, as ``make compilemessages`` does.
"""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import ExecError

ROOT = Path(__file__).resolve().parent
SITEWIDE = ("learning", "sitewide")
# (source in the checkout, destination in learning/sitewide/)
SITEWIDE_FILES = (("templates", "templates"), ("static", "static"), ("templates/locale", "locale"))
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")


class BuildPy(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install is a checkout: config/settings finds the files
        build_lib = Path(self.build_lib)
        target = build_lib.joinpath(*SITEWIDE)
        for source, destination in SITEWIDE_FILES:
            shutil.rmtree(target / destination, ignore_errors=True)
            ignore = SKIP
            if source == "templates":  # its catalogue goes to locale/, where Django looks

                def ignore(directory, names):
                    skipped = SKIP(directory, names)
                    if Path(directory) == ROOT / "templates":
                        skipped.add("locale")
                    return skipped

            shutil.copytree(ROOT / source, target / destination, ignore=ignore)
        self.compile_catalogues(build_lib)

    def compile_catalogues(self, build_lib):
        if shutil.which("msgfmt") is None:
            raise ExecError(
                "Building the wheel compiles the translation catalogues with msgfmt: "
                "install GNU gettext (e.g. apt-get install gettext)."
            )
        for po in sorted(build_lib.rglob("locale/*/LC_MESSAGES/*.po")):
            subprocess.run(  # noqa: S603 - fixed program, paths from the build directory
                ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],  # noqa: S607
                check=True,
            )


setup(cmdclass={"build_py": BuildPy})

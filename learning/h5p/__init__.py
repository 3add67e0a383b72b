"""H5P support: package validation and storage (import), serving and playing.

Import: ``validator`` checks a package against H5P core's rules before anything is
written, ``storage`` writes a validated package, ``samples`` builds packages of the
project's own content type (H5P.CBQuickCheck) for tests and demo data.
"""

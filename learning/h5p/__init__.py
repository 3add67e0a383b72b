"""H5P content: one room holding all of it.

Import: ``validator`` checks a package against H5P core's rules before anything is
written (archive, schema and library checks in its submodules), ``storage`` writes a
validated package, ``samples`` builds packages of the project's own content type
(H5P.CBQuickCheck) for tests and demo data. Play and track: ``tokens`` and ``player``
serve the player on the content origin (``middleware`` keeps it apart from the site),
``xapi`` parses statements, ``access`` answers "may this learner take this activity
here?". ``services`` imports packages and turns statements into progress; ``reports``
reads the figures. ``views``, ``urls``, ``viewsets``, ``chooser``, ``report_viewsets``,
``forms`` and ``panels`` are the web side; ``receivers`` and ``checks`` are wired in
``LearningConfig.ready``; ``demo`` builds the practice page. The models stay in
``learning.models.h5p`` and ``learning.models.xapi`` (the migrations refer to them there).
"""

"""Course reports: one course's figures for its editors (``course``), and Reports ›
Courses across the courses a person edits (``queries``, ``views``, ``viewsets``)."""

from courses.reports.course import course_report, learner_rows

__all__ = ["course_report", "learner_rows"]

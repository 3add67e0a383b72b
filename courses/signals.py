"""Signals of the courses app.

- ``course_completed(sender=CourseCompletion, completion, user, course)``: a learner
  completed every required lesson of a course (sent after commit, once per learner and
  course).
- ``lesson_completed(sender=LessonCompletion, completion, user, lesson)``: sent after commit.
"""

from django.dispatch import Signal

course_completed = Signal()
lesson_completed = Signal()

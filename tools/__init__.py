"""The course's commands, for learners, teachers and CI; ``python -m tools`` lists them.

Every ``make`` target has the same command without make (for Windows and Anaconda):
``make lab`` is ``python -m tools lab``, ``make data`` is ``python -m tools data``, and so on
(see :mod:`tools.__main__`).  The modules import :mod:`utils` like any installed package.
"""

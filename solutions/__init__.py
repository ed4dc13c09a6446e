"""Worked solutions of the exercises, one module per lesson; the test suite runs them.

Each module defines ``SOLUTIONS`` (exercise id → a zero-argument function that returns a
correct answer) and ``WRONG`` (exercise id → typical wrong answers the check must reject).
"""

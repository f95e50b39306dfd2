"""Exams, attempts, grading, the assessor queue and item statistics."""

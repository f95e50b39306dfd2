"""Courses: the manual as courses that trainers author, version and publish, and trainees read and complete."""

"""Staged learning plans (issue 6): templates, enrolments, gated stages, evidence and the branch-head view."""

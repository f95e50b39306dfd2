"""Content checks: the coverage report over courses/ and question_bank/ (`flask content report`)."""

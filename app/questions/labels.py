"""Translated names of question types, practical kinds and difficulties."""
from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "truefalse": _l("True or false"),
    "fill": _l("Fill in the blank"),
    "practical": _l("Practical item"),
}
KIND_LABELS = {
    "role_play": _l("Role-play drill"),
    "script": _l("Script drill"),
    "mystery_shopper": _l("Mystery-shopper item"),
}
DIFFICULTY_LABELS = {1: _l("Easy"), 2: _l("Medium"), 3: _l("Hard")}

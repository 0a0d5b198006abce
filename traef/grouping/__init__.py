"""Breakout groups and phone pairs: forming, measuring and repairing them.

Pure functions over plain ids (`Person(id, unit, level)`); nothing here knows about storage or
channels.
"""

from traef.grouping.engine import DEFAULT_SIZE, Plan, Round, plan_round, plan_rounds
from traef.grouping.history import History
from traef.grouping.people import (
    Group,
    GroupingError,
    Person,
    PersonId,
    fixed_groups,
    present_people,
)
from traef.grouping.quality import QualityReport, RoundQuality, assess, lower_bound
from traef.grouping.repair import Repair, repair, replace_partner
from traef.grouping.sizes import group_sizes, size_bounds

__all__ = [
    "DEFAULT_SIZE",
    "Group",
    "GroupingError",
    "History",
    "Person",
    "PersonId",
    "Plan",
    "QualityReport",
    "Repair",
    "Round",
    "RoundQuality",
    "assess",
    "fixed_groups",
    "group_sizes",
    "lower_bound",
    "plan_round",
    "plan_rounds",
    "present_people",
    "repair",
    "replace_partner",
    "size_bounds",
]

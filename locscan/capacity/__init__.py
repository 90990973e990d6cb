"""Capacity under the Roemernorm, the regional task, coverage, and plans for where workers live.

Reads results, computes no measures: a site's capacity follows from its area (or an existing
building's floor area) and named assumptions (the ``capacity:`` section of a criteria file,
:class:`Assumptions`), with the region's norms for the policy numbers it leaves open
(``norms``). ``sites`` gives capacity per site, ``task`` the task per subregio and work site,
``plan`` the assignment and the suggested set of sites, ``analysis`` all of it against the task.
"""

from locscan.capacity.analysis import Analysis, analyse, coverage, task_check
from locscan.capacity.norms import assumptions_of, resolve
from locscan.capacity.plan import Plan, assign, reach_capacity, suggest
from locscan.capacity.sites import (
    counted,
    overlapping_pairs,
    plannable,
    site_capacity,
    sites_table,
)
from locscan.capacity.task import task_table, work_demand
from locscan.criteria import Assumptions

__all__ = [
    "Analysis",
    "Assumptions",
    "Plan",
    "analyse",
    "assign",
    "assumptions_of",
    "counted",
    "coverage",
    "overlapping_pairs",
    "plannable",
    "reach_capacity",
    "resolve",
    "site_capacity",
    "sites_table",
    "suggest",
    "task_check",
    "task_table",
    "work_demand",
]

"""What the demo seeders share.

``seed_demo`` (the ``demo`` app) calls each registered module's ``seed(demo)`` in
registration order, lower apps first, with one ``Demo``: a seeder leaves in ``shared``
what the seeders of the apps above it build on, and adds what it made to the summary the
command prints.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DemoLogin:
    where: str
    email: str
    password: str
    who: str


@dataclass
class Demo:
    now: datetime
    # One generator for the whole run, drawn from in registration order: the same seed
    # gives the same desk.
    rng: random.Random
    # The port of the demo client site, which the demo widget tokens allow.
    site_port: int
    # What a seeder made for the seeders above it, by name ("admin", "clients", …).
    shared: dict[str, Any] = field(default_factory=dict)
    # How many of each thing the seeders made, by plural label, in the order they made them.
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

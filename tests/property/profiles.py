"""Hypothesis settings of the property tests, chosen by HYPOTHESIS_PROFILE.

- "ci" (the default, what `make test` runs): derandomized, so every run tries the same examples and
  a failure is reproducible; few examples, sized so that tests/property runs in about two minutes
  on two cores; the slow tests report a failure without shrinking it.
- "long": random exploration, LONG_FACTOR times as many examples, failures kept in Hypothesis'
  database (.hypothesis/ in the project folder) and replayed first on the next run.

The profiles are applied per test (`settings_for`), never loaded globally, so other test folders
keep Hypothesis' defaults.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
LONG_FACTOR = 25  # about 45 minutes on two cores

_COMMON = dict(
    deadline=None,  # one example builds a whole site: its time says nothing
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture],
)
settings.register_profile("ci", derandomize=True, database=None, **_COMMON)
settings.register_profile("long", derandomize=False, **_COMMON)

if PROFILE not in ("ci", "long"):
    raise RuntimeError(f"HYPOTHESIS_PROFILE={PROFILE!r}: the property tests know 'ci' and 'long'")


def settings_for(ci_examples: int, slow: bool = False) -> settings:
    """The profile's settings with `ci_examples` examples (LONG_FACTOR times as many when long).
    `slow`: an example takes seconds (a site, a book); the ci profile then does not shrink a
    failure (that took over ten minutes) and prints it as found, replayable from its blob."""
    examples = ci_examples * LONG_FACTOR if PROFILE == "long" else ci_examples
    if slow and PROFILE == "ci":
        return settings(settings.get_profile(PROFILE), max_examples=examples,
                        phases=[Phase.explicit, Phase.reuse, Phase.generate])
    return settings(settings.get_profile(PROFILE), max_examples=examples)

"""Makes building a Bot Framework connector client cheap; behaviour is unchanged.

Each proactive send through the adapter builds two msrest client configurations, and each builds
a `ClientRetryPolicy` whose retried status codes are computed as
`[i for i in range(999) if i not in self.safe_codes]` with `safe_codes` a 502-item list:
half a million comparisons, about 1.5 ms of CPU each time, 3 ms a message; more than all the
rest of a send. As a frozenset the same membership test is one lookup, and the computed list is
the same. `safe_codes` is read nowhere else.
"""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy


def speed_up_msrest() -> None:
    codes = ClientRetryPolicy.safe_codes
    if not isinstance(codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(codes)  # type: ignore[assignment]

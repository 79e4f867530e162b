"""The activities' timeouts and retry policies, in one place: what the workflows schedule their
activities with. Business refusals and data errors are non-retryable by their error type
(contract/names.py); transient faults are retried. Changing a value here changes no command of
a recorded history (timeouts and retry policies are not compared on replay), but it does change
how long a case may wait on a fault: see docs/architecture.md.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

from contract import names

# One database statement or one calculation: half a minute per attempt.
KORT = timedelta(seconds=30)
# PostgreSQL: retried without end, at most a minute apart (a case waits out an outage).
DATABASE_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))
# A write in the workflow task itself (a decision's audit as a local activity, since v7): a few
# quick attempts; then the write continues as an activity with DATABASE_RETRY, retried without
# end and visible in the case's description (the client's answer then names PostgreSQL).
LOKAAL_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=500), maximum_attempts=3)
# A source (register, Raad, politie): retried within its bound of one werkdag (the activity's
# schedule-to-close); a refusal by type is final.
BRON_RETRY = RetryPolicy(
    maximum_interval=timedelta(minutes=30),
    non_retryable_error_types=[names.FOUT_ONBEKENDE_BRON, names.FOUT_ONBEKENDE_MELDING],
)
# A source that has nearly no time left still gets this long.
BRON_MINIMUM = timedelta(minutes=1)
# Destruction of a dossier: an unknown melding is final.
VERNIETIGING_RETRY = RetryPolicy(
    maximum_interval=timedelta(minutes=1),
    non_retryable_error_types=[names.FOUT_ONBEKENDE_MELDING],
)
# Deleting a melding's workflow histories: minutes, with a heartbeat per history.
VERNIETIGEN = timedelta(minutes=5)
VERNIETIGEN_HARTSLAG = timedelta(seconds=30)
# The reconciliation of open dossiers with running cases (activities/naloop.py): one pass over
# every open dossier, a heartbeat per thousand running cases listed; a failed pass is retried a
# few times, then waits for the next scheduled one.
NALOOP = timedelta(minutes=30)
NALOOP_HARTSLAG = timedelta(minutes=5)
NALOOP_RETRY = RetryPolicy(maximum_attempts=3)
# Delivering a message (activities/bezorging.py): an attempt may wait on an SMTP server; 2 s
# doubling to at most a minute apart, BEZORG_POGINGEN attempts (about 8 minutes), the last of
# which records `mislukt` itself and ends in a signalering. An outage of 30 s costs 4 attempts.
BEZORGEN = timedelta(seconds=30)
BEZORG_POGINGEN = 12
BEZORG_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=BEZORG_POGINGEN,
)

# Issue 25: one part of a destruction list (LIJSTDEEL dossiers) is destroyed per activity; a
# worker that dies half-way leaves the rest to the retry, which skips what was done.
LIJSTDEEL = 20
LIJST_VERNIETIGEN = timedelta(minutes=30)
LIJST_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=5)
)
# An overdracht as a zaak at the gemeente (activities/keten.py): an attempt holds a few HTTP
# requests; 5 s doubling to at most 5 minutes apart, OVERDRACHT_POGINGEN attempts (about 40
# minutes), the last of which records `mislukt` itself and ends in a signalering.
OVERDRAGEN = timedelta(minutes=1)
OVERDRACHT_POGINGEN = 12
OVERDRACHT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    maximum_attempts=OVERDRACHT_POGINGEN,
)
# Reading a zaak for the warme overdracht: a few attempts; a failed read is tried again at the
# next interval (domain/keten.py, PEILINTERVAL).
AANVAARDING_RETRY = RetryPolicy(maximum_attempts=3)
# The verzoek tot onderzoek (activities/raad.py): one file write per attempt, retried like an
# overdracht (OVERDRACHT_RETRY's backoff), RAAD_POGINGEN attempts, the last records `mislukt`.
RAAD_POGINGEN = 12
RAAD_RETRY = OVERDRACHT_RETRY

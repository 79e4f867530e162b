"""Beleidsinformatie for CBS and management information (issue 24, docs/statistics.md): the
half-yearly delivery file, the tables as CBS publishes them, the management report and the
business metrics, all read from table `beleidsinformatie` (activities/beleidsinformatie.py).

CBS is reached by a file an organisation uploads, not by an API: this room writes that file.
"""

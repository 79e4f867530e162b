"""Orchestration only: the workflows of the melding process."""

from workflows.melding import MeldingWorkflow

ALLE_WORKFLOWS: list[type] = [MeldingWorkflow]

__all__ = ["ALLE_WORKFLOWS", "MeldingWorkflow"]

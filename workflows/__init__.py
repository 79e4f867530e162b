"""Orchestration only: the workflows of the melding process."""

from workflows.melding import MeldingWorkflow
from workflows.vernietiging import VernietigingWorkflow

ALLE_WORKFLOWS: list[type] = [MeldingWorkflow, VernietigingWorkflow]

__all__ = ["ALLE_WORKFLOWS", "MeldingWorkflow", "VernietigingWorkflow"]

"""Which decision ends which term, as a rule of the domain (issue 27: the rule lived in
activities/signalering.py, keyed on update names the domain could not import)."""

from __future__ import annotations

from contract import names
from domain.afsluiting import TERMIJNEN_VAN_DE_MELDING, afgerond_bij_dossier, afgerond_door
from domain.uitwisseling import Termijnsoort


def test_each_decision_that_ends_a_term_names_it_and_others_none() -> None:
    assert afgerond_door(names.UPDATE_BESLUIT) is Termijnsoort.BEOORDELING
    assert afgerond_door(names.UPDATE_DIENST_AFRONDEN) is Termijnsoort.TWEEDE_TERUGKOPPELING
    assert afgerond_door(names.UPDATE_MONITORING) is Termijnsoort.MONITORING
    assert afgerond_door(names.UPDATE_HUISHOUDEN_INFORMEREN) is Termijnsoort.HUISHOUDEN_INFORMEREN
    assert afgerond_door(names.UPDATE_TRIAGE) is None
    assert afgerond_door(names.UPDATE_VERNIETIGING) is None


def test_a_dossier_update_ends_the_beoordeling_once_decided_and_the_melding_once_closed() -> None:
    assert afgerond_bij_dossier(False, False) == frozenset()
    assert afgerond_bij_dossier(True, False) == {Termijnsoort.BEOORDELING}
    gesloten = afgerond_bij_dossier(True, True)
    assert gesloten == TERMIJNEN_VAN_DE_MELDING and Termijnsoort.BEOORDELING in gesloten
    # What outlives the case: its own requests, deliveries, late information, an overdracht.
    assert not gesloten & {
        Termijnsoort.VERNIETIGING,
        Termijnsoort.BEZORGING,
        Termijnsoort.NAGEKOMEN_INFORMATIE,
        Termijnsoort.OVERDRACHT,
    }


def test_the_contracts_names_are_the_domains() -> None:
    from domain import namen

    assert names.UPDATE_BESLUIT is namen.UPDATE_BESLUIT == "neem_besluit"
    assert names.MELDING_WORKFLOW == namen.MELDING_WORKFLOW == "MeldingWorkflow"

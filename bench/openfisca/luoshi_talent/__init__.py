"""A country-template-like OpenFisca model of 郑政办〔2020〕24号 第二条 (郑州市青年人才首次购房补贴),
written for Luoshi's benchmark: the same rule, decided by OpenFisca-core on the same applicants.

Layout as in openfisca-country-template: entities, parameters (YAML, one file per value, each
citing its clause), variables (inputs and formulas), and a TaxBenefitSystem that loads them.
"""

import os

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from luoshi_talent import entities

COUNTRY_DIR = os.path.dirname(os.path.abspath(__file__))


class CountryTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self):
        super().__init__(entities.entities)
        self.add_variables_from_directory(os.path.join(COUNTRY_DIR, "variables"))
        self.load_parameters(os.path.join(COUNTRY_DIR, "parameters"))

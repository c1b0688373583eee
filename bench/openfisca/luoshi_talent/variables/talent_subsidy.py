"""郑政办〔2020〕24号 第二条 青年人才首次购房补贴: inputs, the conditions of （三） and （六）, the
eligibility and the amount of （二）. Dates are YYYYMMDD integers (compared as numbers, years and
month-days split by division): numpy's datetime64 calendar conversions would cost OpenFisca about
ten times more, and Luoshi's columnar path packs its dates the same way. Same readings as Luoshi's defaults: “35岁以下” includes 35
(《民法典》第一千二百五十九条), “3年内” includes the day three years on, “2017年1月1日之后” and
“（含）之后” include 1 January 2017, an applicant already enjoying another housing benefit is
refused (（六）4).
"""

import numpy

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from luoshi_talent.entities import Person


class Degree(Enum):
    BACHELOR = "本科"
    MASTER = "硕士"
    DOCTOR = "博士"


class Purchaser(Enum):
    APPLICANT = "本人"
    SPOUSE = "配偶"
    OTHER = "其他"


class degree(Variable):
    value_type = Enum
    possible_values = Degree
    default_value = Degree.BACHELOR
    entity = Person
    definition_period = MONTH
    label = "学历"
    reference = "郑政办〔2020〕24号 第二条（一）"


class purchaser(Variable):
    value_type = Enum
    possible_values = Purchaser
    default_value = Purchaser.APPLICANT
    entity = Person
    definition_period = MONTH
    label = "购房人"
    reference = "郑政办〔2020〕24号 第二条（六）2"


class full_time(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "全日制学历"
    reference = "郑政办〔2020〕24号 第二条"


class double_first_class(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "本科为“双一流”或世界前500位院校"
    reference = "郑政办〔2020〕24号 第二条"


class birth_date(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "出生日期"
    reference = "郑政办〔2020〕24号 第二条"


class graduation_date(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "毕业日期"
    reference = "郑政办〔2020〕24号 第二条"


class settled_date(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "落户日期"
    reference = "郑政办〔2020〕24号 第二条"


class contract_signed_date(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "购房合同签订日期"
    reference = "郑政办〔2020〕24号 第二条"


class contract_filed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "购房合同已备案"
    reference = "郑政办〔2020〕24号 第二条"


class deed_tax_paid(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "已纳税取得完税凭证"
    reference = "郑政办〔2020〕24号 第二条"


class first_home(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "在我市首次购买住房"
    reference = "郑政办〔2020〕24号 第二条"


class application_date(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "申请日期"
    reference = "郑政办〔2020〕24号 第二条"


class already_received(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "已领取过本补贴"
    reference = "郑政办〔2020〕24号 第二条"


class other_housing_benefit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "已享受其他人才安居补贴或住房保障政策"
    reference = "郑政办〔2020〕24号 第二条"


def _split(dates):
    """Year and month-day (MMDD) of YYYYMMDD integers."""
    return dates // 10000, dates % 10000


class talent_age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "申请日的周岁"
    reference = "郑政办〔2020〕24号 第二条（三）1"

    def formula(person, period, parameters):
        by, bmd = _split(person("birth_date", period))
        ay, amd = _split(person("application_date", period))
        return numpy.maximum(ay - by - (amd < bmd), 0)


class talent_age_ok(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "本科、硕士35岁以下（含本数）；博士不设年龄限制"
    reference = "郑政办〔2020〕24号 第二条（三）1；《民法典》第一千二百五十九条"

    def formula(person, period, parameters):
        limit = parameters(period).talent_subsidy.age_limit
        doctor = person("degree", period) == Degree.DOCTOR
        return doctor + (person("talent_age", period) <= limit)


class talent_double_first_class_ok(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "本科毕业于“双一流”建设高校或世界排名前500位院校"
    reference = "郑政办〔2020〕24号 第二条（三）2"

    def formula(person, period, parameters):
        bachelor = person("degree", period) == Degree.BACHELOR
        return numpy.logical_not(bachelor) + person("double_first_class", period)


class talent_graduation_ok(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "2017年1月1日之后毕业"
    reference = "郑政办〔2020〕24号 第二条（三）3"

    def formula(person, period, parameters):
        cutoff = int(parameters(period).talent_subsidy.cutoff)
        return person("graduation_date", period) >= cutoff


class talent_settlement_ok(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "毕业3年内落户我市（以内含本数；2月29日毕业的截至3年后的2月28日）"
    reference = "郑政办〔2020〕24号 第二条（三）3"

    def formula(person, period, parameters):
        years = int(parameters(period).talent_subsidy.settlement_window_years)
        graduation = person("graduation_date", period)
        deadline = graduation + years * 10000 - (graduation % 10000 == 229)
        return person("settled_date", period) <= deadline


class talent_contract_ok(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "购房合同2017年1月1日（含）之后签订、已备案、已纳税，在我市首次购房"
    reference = "郑政办〔2020〕24号 第二条（三）4"

    def formula(person, period, parameters):
        cutoff = int(parameters(period).talent_subsidy.cutoff)
        return (
            (person("contract_signed_date", period) >= cutoff)
            * person("contract_filed", period)
            * person("deed_tax_paid", period)
            * person("first_home", period)
        )


class talent_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合青年人才首次购房补贴申请条件"
    reference = "郑政办〔2020〕24号 第二条（三）、（六）"

    def formula(person, period, parameters):
        return (
            person("full_time", period)
            * person("talent_double_first_class_ok", period)
            * person("talent_age_ok", period)
            * person("talent_graduation_ok", period)
            * person("talent_settlement_ok", period)
            * person("talent_contract_ok", period)
            * (person("purchaser", period) != Purchaser.OTHER)
            * numpy.logical_not(person("already_received", period))
            * numpy.logical_not(person("other_housing_benefit", period))
        )


class talent_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "青年人才首次购房补贴金额（元）"
    reference = "郑政办〔2020〕24号 第二条（二）"

    def formula(person, period, parameters):
        amount = parameters(period).talent_subsidy.amount
        degree = person("degree", period)
        by_degree = numpy.select(
            [degree == Degree.DOCTOR, degree == Degree.MASTER],
            [amount.doctor, amount.master],
            amount.bachelor,
        )
        return person("talent_subsidy_eligible", period) * by_degree

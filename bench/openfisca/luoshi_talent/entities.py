"""One entity: the applicant (申请人). Couples apply separately (24号 第二条（六）4)."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="申请人",
    doc="青年人才首次购房补贴的申请人（郑政办〔2020〕24号 第二条）。",
    is_person=True,
)

entities = [Person]

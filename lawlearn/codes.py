"""The fixed code lists (docs/contracts.md, Codes): the codes used in files, the CLI and reports,
the Chinese aliases accepted on input, and the labels shown in the UI (translated through Babel)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale

from lawlearn.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Code:
    code: str
    label: object  # a lazy string: rendered in the request's language
    aliases: tuple[str, ...] = ()


class CodeList:
    def __init__(self, *codes: Code):
        self._codes = codes
        # code → label, per language: a page of 200 units asks for the same few labels 200
        # times, and each lazy string would look its message up in the catalogue again.
        self._labels: dict[str, dict[str, str]] = {}
        self._by_input: dict[str, str] = {}
        for c in codes:
            for name in (c.code, *c.aliases):
                self._by_input[name.strip().lower()] = c.code

    def __iter__(self):
        return iter(self._codes)

    def __contains__(self, code: str) -> bool:
        return any(c.code == code for c in self._codes)

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self._codes]

    def parse(self, text: str) -> str | None:
        """The code for a code or Chinese alias typed by a person, or None."""
        return self._by_input.get(str(text).strip().lower())

    def label(self, code: str) -> str:
        """The code's label in the current language (the code itself if it is not ours)."""
        locale = str(get_locale() or "")
        labels = self._labels.get(locale)
        if labels is None:
            labels = self._labels[locale] = {c.code: str(c.label) for c in self._codes}
        return labels.get(code, code)

    def choices(self) -> list[tuple[str, object]]:
        return [(c.code, c.label) for c in self._codes]


LEVELS = CodeList(
    Code("county", _l("County"), ("县", "区", "县（区）")),
    Code("town", _l("Town"), ("镇", "乡", "街道", "镇（街道）", "乡镇")),
    Code("village", _l("Village"), ("村",)),
    Code("community", _l("Community"), ("社区",)),
    Code("enterprise", _l("Enterprise"), ("企业",)),
)

# Which level a parent must have. Counties are roots, so one tree can hold a whole province's
# counties side by side.
PARENT_LEVEL = {
    "county": None,
    "town": "county",
    "village": "town",
    "community": "town",
    "enterprise": "town",
}

KINDS = CodeList(
    Code("household", _l("Study household"), ("中心户", "学法中心户", "农民学法中心户")),
    Code("enterprise_group", _l("Enterprise study group"), ("学法班组", "企业学法班组", "班组")),
    Code("building", _l("Building-captain group"), ("楼长", "楼长集中学法", "社区楼长集中学法")),
)

# The area level each kind of unit lives in (docs/contracts.md's table).
KIND_AREA_LEVEL = {
    "household": "village",
    "enterprise_group": "enterprise",
    "building": "community",
}

UNIT_STATUSES = CodeList(
    # "Registered", not "Active": an active unit is one that met in the period (the report).
    Code("active", _l("Registered"), ("在册", "正常")),
    Code("retired", _l("Retired"), ("已撤销", "撤销")),
)

ROLES = CodeList(
    Code("admin", _l("County office"), ("县普法办", "管理员")),
    Code("coordinator", _l("Town coordinator"), ("镇协调员", "协调员")),
    Code("leader", _l("Unit leader"), ("负责人",)),
)

ATTENDANCE_STATUSES = CodeList(
    Code("present", _l("Present"), ("出席",)),
    Code("late", _l("Late"), ("迟到",)),
    Code("excused", _l("Excused"), ("请假",)),
    Code("absent", _l("Absent"), ("缺席",)),
)

SESSION_FORMATS = CodeList(
    Code("group_study", _l("Group study"), ("集中学习",)),
    Code("lecture", _l("Lecture"), ("专题讲座",)),
    Code("case_based", _l("Case-based teaching"), ("以案释法",)),
    Code("rotational_training", _l("Rotational training"), ("集中轮训",)),
    Code("site_visit", _l("Site visit"), ("现场观摩",)),
    Code("touring_talk", _l("Touring talk"), ("典型巡讲",)),
    Code("exhibition", _l("Touring exhibition"), ("巡回展览",)),
    Code("other", _l("Other"), ("其他",)),
)

TOPICS = CodeList(
    Code("constitution", _l("Constitution"), ("宪法",)),
    Code("civil-code", _l("Civil Code"), ("民法典",)),
    Code("labor-contract", _l("Labour Contract Law"), ("劳动合同法",)),
    Code("land-contract", _l("Rural Land Contract Law"), ("农村土地承包法",)),
    Code("anti-fraud", _l("Anti-Telecom Fraud Law"), ("反电信网络诈骗法", "反诈")),
    Code("road-traffic", _l("Road Traffic Safety Law"), ("道路交通安全法",)),
    Code("anti-drug", _l("Anti-Drug Law"), ("禁毒法",)),
    Code("minors", _l("Minors Protection Law"), ("未成年人保护法",)),
    Code("mediation", _l("People's Mediation Law"), ("人民调解法",)),
    Code("work-safety", _l("Work Safety Law"), ("安全生产法",)),
    Code("anti-domestic-violence", _l("Anti-Domestic Violence Law"), ("反家庭暴力法",)),
    Code("fire-protection", _l("Fire Protection Law"), ("消防法",)),
    Code("social-insurance", _l("Social Insurance Law"), ("社会保险法",)),
    Code("personal-information", _l("Personal Information Protection Law"), ("个人信息保护法",)),
    Code("legal-aid", _l("Legal Aid Law"), ("法律援助法",)),
    Code("land-administration", _l("Land Administration Law"), ("土地管理法",)),
    Code("villagers-committee", _l("Villagers' Committees Law"), ("村民委员会组织法",)),
    Code("women-rights", _l("Women's Rights Protection Law"), ("妇女权益保障法",)),
    Code("elderly-rights", _l("Elderly Rights Protection Law"), ("老年人权益保障法",)),
    Code("labor-law", _l("Labour Law"), ("劳动法",)),
    Code("occupational-disease", _l("Occupational Disease Prevention Law"), ("职业病防治法",)),
    Code("family-education", _l("Family Education Promotion Law"), ("家庭教育促进法",)),
    Code("migrant-wages", _l("Migrant Workers' Wage Regulations"),
         ("保障农民工工资支付条例", "农民工工资")),
)

# A bank that is about no single law (an imported mixed bank, a mixed paper): shown as 综合.
# Not a law topic: sessions cannot have it, and per-law figures (the knowledge-gap table) leave
# it out; the report's scores by topic show it as its own 综合 row.
GENERAL_TOPIC = "general"
BANK_TOPICS = CodeList(*TOPICS, Code(GENERAL_TOPIC, _l("General"), ("综合", "综合题库")))

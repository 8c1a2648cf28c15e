"""A made-up county for demonstrations and benchmarks. Nobody in it is real: area codes start
with 99 (no real Chinese division has that prefix), names are drawn at random from common
characters, and phone numbers from a block of zeros."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from lawlearn import clock, codes
from lawlearn.extensions import db
from lawlearn.models import Area, Person, RosterMember, StudyUnit, Target, User
from lawlearn.models.people import hash_mobile, mask_mobile

DEMO_PASSWORD = "lawlearn-demo-2026"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国华明丽芳军伟秀英敏静强磊洋艳勇杰娟涛超霞平刚桂兰玉梅红文志海春燕金凤云德福荣生成林宝珍才淑琴宏飞亮晓玲雪梅新民永"
TOWNS = ["城关镇", "青山镇", "白沙镇", "柳溪乡", "南湖街道", "红旗镇", "石门镇", "清河乡", "东岭镇",
         "西塘镇", "龙泉镇", "桃源乡", "新桥镇", "双河镇", "长乐镇", "金星乡", "平安街道", "梅岭镇",
         "凤凰镇", "太平乡", "永丰镇", "高桥镇", "丰收乡", "团结镇"]
VILLAGE_WORDS = ["东风", "石桥", "杨柳", "前进", "胜利", "和平", "新建", "光明", "红星", "五星",
                 "向阳", "幸福", "团结", "先锋", "朝阳", "长青", "青龙", "白马", "黄泥", "桥头",
                 "上庄", "下湾", "大坪", "小河", "高坎", "竹林", "枫树", "茶园", "梨花", "荷塘"]
COMMUNITY_WORDS = ["幸福", "和谐", "阳光", "锦绣", "翠苑", "滨江", "康乐", "文昌", "育才", "春晖"]
ENTERPRISE_WORDS = ["恒达机械", "绿源食品", "金鼎建材", "华兴纺织", "顺丰物流", "鑫隆五金",
                    "山水茶业", "宏远电子", "永安化工", "丰谷米业", "天成家具", "瑞祥制衣"]
INDUSTRIES = ["制造业", "食品加工", "建材", "纺织服装", "物流运输", "电子", "化工", "农产品加工"]

SCALES = {
    # towns, villages per town, communities per town, enterprises per town, roster size
    "demo": (6, 6, 2, 2, (6, 14)),
    "county": (20, 14, 3, 3, (20, 60)),
}


class DemoError(RuntimeError):
    pass


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> str:
        given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.7 else "")
        return self.rng.choice(SURNAMES) + given


def build_demo(scale: str = "demo", seed: int = 2026) -> str:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Area)):
        raise DemoError("the database already has areas; demo data goes into an empty database")
    rng = random.Random(seed)
    names = _Names(rng)
    n_towns, n_villages, n_communities, n_enterprises, roster_size = SCALES[scale]
    county = Area(code="999901", name="示范县", level="county", path="/999901/")
    db.session.add(county)
    units: list[StudyUnit] = []
    towns = []
    for t in range(1, n_towns + 1):
        town_code = f"999901{t:03d}"
        town = Area(code=town_code, name=TOWNS[(t - 1) % len(TOWNS)], level="town", parent=county,
                    path=f"{county.path}{town_code}/")
        towns.append(town)
        children = []
        for v in range(1, n_villages + 1):
            children.append(("village", f"{town_code}{v:03d}",
                             VILLAGE_WORDS[(v + t) % len(VILLAGE_WORDS)] + "村"))
        for c in range(1, n_communities + 1):
            children.append(("community", f"{town_code}{200 + c:03d}",
                             COMMUNITY_WORDS[(c + t) % len(COMMUNITY_WORDS)] + "社区"))
        for e in range(1, n_enterprises + 1):
            children.append(("enterprise", f"{town_code}E{e:02d}",
                             TOWNS[(t - 1) % len(TOWNS)][:2]
                             + ENTERPRISE_WORDS[(e + t) % len(ENTERPRISE_WORDS)] + "有限公司"))
        for level, code, name in children:
            area = Area(code=code, name=name, level=level, parent=town, path=f"{town.path}{code}/")
            if level == "enterprise":
                area.employees = rng.randint(40, 600)
                area.industry = rng.choice(INDUSTRIES)
            units += _units_for(area, rng, names)
    db.session.add_all(towns)
    db.session.add_all(units)
    db.session.flush()
    people = _rosters(units, rng, names, roster_size)
    _accounts(county, towns, units)
    _targets(towns, units, random.Random(seed + 1), clock.today().year)  # own stream
    sessions, attended = _sessions(units, rng, names, today=clock.today())
    from lawlearn.ledger import rebuild

    rebuild(db.session)
    return (f"Demo county {county.name} ({county.code}): {len(towns)} towns, {len(units)} study "
            f"units, {people} people on rosters, {sessions} sessions, {attended} attendances. "
            f"Log in as admin / {DEMO_PASSWORD}.")


def _units_for(area: Area, rng: random.Random, names: _Names) -> list[StudyUnit]:
    kind, count, letter = {"village": ("household", rng.randint(1, 3), "H"),
                           "community": ("building", rng.randint(2, 4), "B"),
                           "enterprise": ("enterprise_group", rng.randint(1, 2), "E")}[area.level]
    units = []
    for i in range(1, count + 1):
        leader = names.person()
        if kind == "household":
            name, extra = f"{leader[0]}家学法中心户", {}
        elif kind == "building":
            name, extra = f"{area.name}{i}号楼", {"building": f"{i}号楼"}
        else:
            shift = rng.choice(["早班", "中班", "一车间", "二车间", "仓储组", "装配组"])
            name, extra = f"{shift}学法班组", {"shift": shift}
        reach = {"household": rng.randint(6, 20), "building": rng.randint(20, 72),
                 "enterprise_group": rng.randint(10, 45)}[kind]
        units.append(StudyUnit(
            code=f"{area.code}-{letter}{i:03d}", kind=kind, name=name, area=area,
            leader_name=leader, leader_phone=f"1380000{rng.randint(0, 9999):04d}", reach=reach,
            registered_on=date(2025, 3, 1) + timedelta(days=rng.randint(0, 540)),
            status="retired" if rng.random() < 0.03 else "active", **extra))
    return units


def _rosters(units: list[StudyUnit], rng: random.Random, names: _Names,
             size: tuple[int, int]) -> int:
    """People and roster rows in bulk: a few thousand single inserts would make `make run`
    slow on an old laptop."""
    people, members, serial = [], [], 0
    for unit in units:
        for _ in range(rng.randint(*size)):
            serial += 1
            mobile = f"1390{serial:07d}" if rng.random() < 0.85 else None
            people.append({"name": names.person(), "home_unit_id": unit.id,
                           "phone_hash": hash_mobile(mobile) if mobile else None,
                           "phone_masked": mask_mobile(mobile) if mobile else None})
    ids = db.session.scalars(sa.insert(Person).returning(Person.id, sort_by_parameter_order=True),
                             people).all() if people else []
    for person, person_id in zip(people, ids, strict=True):
        members.append({"unit_id": person["home_unit_id"], "person_id": person_id})
    if members:
        db.session.execute(sa.insert(RosterMember), members)
    return len(people)


FORMATS = ["group_study", "group_study", "lecture", "case_based", "rotational_training",
           "site_visit", "touring_talk", "exhibition"]
TOPICS_BY_KIND = {
    "household": ["land-contract", "civil-code", "anti-fraud", "road-traffic", "mediation"],
    "enterprise_group": ["labor-contract", "work-safety", "anti-fraud", "anti-drug"],
    "building": ["civil-code", "anti-fraud", "minors", "mediation", "constitution"],
}
LECTURERS = ["司法所干部", "驻村律师", "法律明白人", "派出所民警", "安全员", "村（居）法律顾问"]


def _sessions(units: list[StudyUnit], rng: random.Random, names: _Names,
              today: date) -> tuple[int, int]:
    """A year of meetings: roughly monthly for most units, rarely for some (so the dashboard
    has dormant units to show), with attendance drawn from each roster and paper quiz scores.
    Written in bulk; the report summaries are rebuilt once at the end."""
    from lawlearn.models import Attempt, Attendance, Quiz, SessionTopic, StudySession

    quizzes = {q.topic: q.id for q in db.session.scalars(sa.select(Quiz))}
    roster = defaultdict(list)
    for unit_id, person_id in db.session.execute(
            sa.select(RosterMember.unit_id, RosterMember.person_id)):
        roster[unit_id].append(person_id)
    sessions, topics, attendance, attempts = [], [], [], []
    for unit in units:
        if unit.status != "active":
            continue
        every = rng.choice([25, 30, 35, 45, 120])  # days between meetings; 120 = nearly dormant
        day = max(unit.registered_on, today - timedelta(days=365)) + timedelta(rng.randint(0, 20))
        n = 0
        while day <= today:
            n += 1
            sessions.append({"code": f"{unit.code}-S{day:%Y%m%d}-{n}", "unit_id": unit.id,
                             "held_on": day, "format": rng.choice(FORMATS),
                             "lecturer": rng.choice(LECTURERS),
                             "duration_minutes": rng.choice([45, 60, 90, 120]),
                             "checkin_token": f"demo{unit.id}x{n}{rng.randrange(10**8)}"})
            chosen_topics = rng.sample(TOPICS_BY_KIND[unit.kind], k=rng.choice([1, 1, 2]))
            topics.append(chosen_topics)
            people = roster[unit.id]
            present = rng.sample(people, k=max(1, int(len(people) * rng.uniform(0.5, 0.9))))
            marks = [(p, rng.choice(["present"] * 9 + ["late"])) for p in present]
            marks += [(p, rng.choice(["excused", "absent"])) for p in people if p not in present]
            attendance.append(marks)
            quiz_id = quizzes.get(chosen_topics[0])
            quiz_takers = [p for p, s in marks if s in ("present", "late") and rng.random() < 0.4]
            attempts.append([(quiz_id, p, day, rng.choice([40, 50, 60, 70, 70, 80, 80, 90, 100]))
                             for p in quiz_takers] if quiz_id else [])
            day += timedelta(days=every + rng.randint(-5, 5))
    ids = db.session.scalars(sa.insert(StudySession).returning(
        StudySession.id, sort_by_parameter_order=True), sessions).all() if sessions else []
    topic_rows, attendance_rows, attempt_rows = [], [], []
    for session_id, session, chosen, marks, takers in zip(ids, sessions, topics, attendance,
                                                          attempts, strict=True):
        topic_rows += [{"session_id": session_id, "topic": t} for t in chosen]
        attendance_rows += [{"session_id": session_id, "person_id": p, "status": s,
                             "method": "roster"} for p, s in marks]
        attempt_rows += [{"quiz_id": q, "person_id": p, "session_id": session_id,
                          "unit_id": session["unit_id"], "method": "paper", "taken_on": d,
                          "score": float(score), "passed": score >= 60}
                         for q, p, d, score in takers]
    for table, rows in ((SessionTopic, topic_rows), (Attendance, attendance_rows),
                        (Attempt, attempt_rows)):
        for start in range(0, len(rows), 5000):
            db.session.execute(sa.insert(table), rows[start:start + 5000])
    return len(sessions), sum(1 for r in attendance_rows if r["status"] in ("present", "late"))


def _targets(towns: list[Area], units: list[StudyUnit], rng: random.Random, year: int) -> None:
    """This year's targets per town and kind, near what is registered, so the report shows all
    three bands (met, near, behind) as a county office would see them in the autumn."""
    registered = defaultdict(int)
    for unit in units:
        if unit.status == "active":
            registered[(unit.area.parent.code, unit.kind)] += 1
    for town in towns:
        for kind in codes.KINDS.codes:
            have = registered[(town.code, kind)]
            db.session.add(Target(area=town, year=year, kind=kind,
                                  target=max(1, have + rng.choice((-1, 0, 0, 1, 2, 4)))))


def _accounts(county: Area, towns: list[Area], units: list[StudyUnit]) -> None:
    admin = User(username="admin", display_name="县普法办", role="admin", area=county)
    accounts = [admin]
    for i, town in enumerate(towns[:3], start=1):
        accounts.append(User(username=f"coordinator{i}", display_name=f"{town.name}协调员",
                             role="coordinator", area=town))
    leaders = [u for u in units if u.status == "active"][:3]
    for i, unit in enumerate(leaders, start=1):
        accounts.append(User(username=f"leader{i}", display_name=unit.leader_name, role="leader",
                             units=[unit]))
    for user in accounts:
        user.set_password(DEMO_PASSWORD)
    db.session.add_all(accounts)

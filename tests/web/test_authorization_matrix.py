"""Who may open what: every route of the app × ten kinds of visitor → the status each one gets.

The matrix names every (endpoint, method) of `app.url_map` explicitly; a route added without a
row here fails `test_every_route_is_in_the_matrix`. Each row's URL points at objects of 示例乡
(an exam, cadre3's attempt, cadre2's account, 东风村委会…), so the visitors from 邻近镇, the
trainer of a village and the cadre who is not the owner are all asking about something that is
not theirs. The "cadre" column asks about the cadre's own attempt, result and certificate.

Outcomes, one column per persona:
    L     not logged in: a redirect to /login (?next=… for a page), or 401 JSON under /api/
    200   shown;   302  done, redirected elsewhere than /login;   OUT  logged out, back to /login
    403   refused (a Chinese message);   404  not found (a Chinese message), nothing told
    409   allowed, but the current state refuses it (an exam in progress pauses practice)
    200!  allowed to use the form, but the target is out of scope: a form error, nothing written

Refusals (L, 403, 404, 200!) of a POST must leave every table as it was (the audit log aside,
which keeps the refusal). Each request runs in a savepoint that is rolled back afterwards, on a
fresh client carrying the persona's session cookie, so that no check sees another's effects.
A 200 page must not show the names of people outside the visitor's part of the county.

Forbidden exams answer 403 (managed_exam: "该考试不属于您管理的单位"), forbidden people, units
and another person's attempts answer 404 (nothing told about what lies outside the scope).
The question bank and its topics are one county-wide bank that every trainer and admin keeps; its
纠错 reports are read and answered within the reporter's part of the tree (404 outside it).
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from quizapp.db import Base, session_scope
from quizapp.models import Attempt, Question, QuestionReport, QuestionVersion, Topic, User
from quizapp.services import bank_bulk, bank_import, reports, stash
from quizapp.services.attempts import load_paper, save_answer, start_attempt, submit_attempt

from ..conftest import csrf_from, login
from ..factories import right_answer
from ..tally import tally

PERSONAS = ("anonymous", "cadre", "other_cadre", "outsider", "trainer", "village_trainer", "other_trainer",
            "admin", "township_admin", "other_admin")
USERNAMES = {"cadre": "cadre1", "other_cadre": "cadre1", "outsider": "outsider", "trainer": "trainer",
             "village_trainer": "vtrainer", "other_trainer": "trainer2", "admin": "admin",
             "township_admin": "sadmin", "other_admin": "oadmin"}
# Names (full_name is "用户" + username) a persona must not read anywhere: people outside its scope.
UNSEEN = {
    "cadre": "cadre2 cadre3 cadre4 leader outsider outsider2",
    "other_cadre": "cadre2 cadre3 cadre4 leader outsider outsider2",
    "outsider": "cadre1 cadre2 cadre3 cadre4 leader outsider2",
    "trainer": "outsider outsider2",
    "village_trainer": "cadre1 cadre3 cadre4 leader outsider outsider2",
    "other_trainer": "cadre1 cadre2 cadre3 cadre4 leader",
    "admin": "",
    "township_admin": "outsider outsider2",
    "other_admin": "cadre1 cadre2 cadre3 cadre4 leader",
}

BANK_CSV = ("题型,题干,选项A,选项B,选项C,答案,解析,难度\n"
            "单选,村民委员会每届任期几年？,三年,五年,四年,B,村民委员会组织法规定村民委员会每届任期五年。,易\n").encode()
ROSTER_CSV = "姓名,账号,单位,职务,人员类别,是否领导干部\n孙丽,sunli,示例乡/东风村委会,村委会委员,村（社区）干部,否\n".encode()
STEM = "根据宪法，国家保障自然资源的合理利用，保护珍贵的动物和植物。这一规定体现了（　）。"


def question_form(**changes: Any) -> dict[str, Any]:
    """Every field the editor's page sends, as a browser would."""
    form = {"topic": "宪法", "qtype": "single", "stem": STEM, "options-0": "国家对自然资源的保护",
            "options-1": "个人对自然资源的处分", "options-2": "", "options-3": "", "options-4": "", "options-5": "",
            "answer_letters": ["A"], "explanation": "宪法第九条第二款。", "difficulty": "2", "tags": "总纲",
            "basis-0-law": "宪法", "basis-0-article": "第九条", "basis-0-quote": "国家保障自然资源的合理利用，保护珍贵的动物和植物",
            "basis-1-law": "", "basis-1-article": "", "basis-1-quote": "", "basis-2-law": "", "basis-2-article": "",
            "basis-2-quote": "", "source": "", "base_version": "", "confirm": "y"}
    form.update(changes)
    return form


class Targets:
    """The ids a row's URL and body name, made on first use inside the check's savepoint.

    `own` is the cadre asking about their own attempt and certificate; everyone else asks about
    cadre3's (in progress) and leader's (handed in) attempts, and cadre3's certificate."""

    def __init__(self, app: Flask, clock: Callable, ids: dict[str, int], own: bool) -> None:  # type: ignore[type-arg]
        self.app, self.clock, self.ids, self.own = app, clock, ids, own

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.app.app_context(), session_scope(self.app) as s:
            yield s

    def __getattr__(self, name: str) -> int:  # world objects by their factories name: t.exam, t.village…
        try:
            return self.__dict__["ids"][name]
        except KeyError:
            raise AttributeError(name) from None

    @cached_property
    def attempt(self) -> int:
        with self.session() as s:
            if self.own:
                return start_attempt(s, self.ids["exam"], s.get(User, self.ids["cadre"]), self.clock()).id
            return s.scalar(select(Attempt.id).where(Attempt.user_id == self.ids["cadre3"],
                                                     Attempt.exam_id == self.ids["exam"]))  # type: ignore[return-value]

    @cached_property
    def _item(self) -> tuple[int, object]:
        with self.session() as s:
            item = load_paper(s, s.get(Attempt, self.attempt))[0]
            return item.id, right_answer(item)

    @property
    def answer_body(self) -> dict[str, object]:
        item_id, answer = self._item
        return {"item_id": item_id, "answer": answer}

    @cached_property
    def _passed(self) -> tuple[int, int, int]:
        """(fixed_exam, the attempt, the user): cadre1 (own) or cadre3 passed the fixed exam."""
        user_id = self.ids["cadre" if self.own else "cadre3"]
        with self.session() as s:
            attempt = start_attempt(s, self.ids["fixed_exam"], s.get(User, user_id), self.clock())
            for item in load_paper(s, attempt):
                save_answer(s, attempt, item.id, right_answer(item), self.clock())
            submit_attempt(s, attempt, self.clock())
            return self.ids["fixed_exam"], attempt.id, user_id

    @property
    def passed_exam(self) -> int:
        return self._passed[0]

    @property
    def passed_user(self) -> int:
        return self._passed[2]

    @cached_property
    def done(self) -> int:
        if self.own:
            return self._passed[1]
        with self.session() as s:
            return s.scalar(select(Attempt.id).where(Attempt.user_id == self.ids["leader"]))  # type: ignore[return-value]

    @cached_property
    def version(self) -> int:
        """A single-choice question practice may show."""
        with self.session() as s:
            return s.scalar(select(QuestionVersion.id).join(Question, Question.id == QuestionVersion.question_id).where(
                QuestionVersion.qtype == "single", Question.exam_only.is_(False), Question.retired.is_(False),
                QuestionVersion.version_no == Question.latest_version).order_by(Question.code).limit(1))  # type: ignore[return-value]

    @cached_property
    def report(self) -> int:
        version = self.version
        with self.session() as s:
            return reports.create_report(s, version, s.get(User, self.ids["cadre3"]), "选项B有错别字",
                                         self.clock()).id

    @property
    def report_code(self) -> str:
        """The question cadre3 reported a problem with (its page lists the reports)."""
        report = self.report
        with self.session() as s:
            return s.scalar(select(Question.code).join(QuestionReport, QuestionReport.question_id == Question.id)
                            .where(QuestionReport.id == report))  # type: ignore[return-value]

    @cached_property
    def tag(self) -> str:
        with self.session() as s:
            bank_bulk.bulk(s, ["TXF-0004"], "tag", s.get(User, self.ids["trainer"]), self.clock(), "待改标签")
        return "待改标签"

    @cached_property
    def topic(self) -> int:
        with self.session() as s:
            return s.scalar(select(Topic.id).where(Topic.name == "宪法"))  # type: ignore[return-value]

    @cached_property
    def empty_topic(self) -> int:
        with self.session() as s:
            return bank_bulk.create_topic(s, "待删专题", s.get(User, self.ids["trainer"]), self.clock()).id

    @cached_property
    def bank_token(self) -> str:
        """The trainer's previewed bank upload, waiting for its confirmation."""
        from quizapp.web.bank.transfer import UPLOAD, _bundle

        files = [("基层.csv", BANK_CSV)]
        with self.session() as s:
            plan = bank_import.plan_import(s, bank_import.read_sources(files, "基层治理"))
            assert plan.accepted
            return stash.stash(s, self.ids["trainer"], UPLOAD, "bank.zip", _bundle(files, plan.baseline()),
                               self.clock())

    @cached_property
    def roster_token(self) -> str:
        """The township admin's previewed roster upload."""
        with self.session() as s:
            return stash.stash(s, self.ids["township_admin"], "roster_upload", "名单.csv", ROSTER_CSV, self.clock())

    @cached_property
    def passwords_token(self) -> str:
        """The township admin's one-time 初始密码表."""
        with self.session() as s:
            return stash.stash(s, self.ids["township_admin"], "initial_passwords", "初始密码表.xlsx", b"PK\x03\x04",
                               self.clock())


Body = Callable[[Targets], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    path: str  # str.format(t=targets)
    expected: str  # one outcome per persona, in PERSONAS order
    form: Body | None = None  # a form body (the CSRF token is added)
    json: Body | None = None  # a JSON body (the CSRF token goes in the header)
    files: bool = False  # the form carries uploads: multipart

    def outcomes(self) -> dict[str, str]:
        tokens = self.expected.split()
        assert len(tokens) == len(PERSONAS), self
        return dict(zip(PERSONAS, tokens, strict=True))


def unit_form(t: Targets) -> dict[str, Any]:
    return {"name": "驻村工作队", "kind": "work_team", "parent_id": str(t.township)}


def person_form(t: Targets) -> dict[str, Any]:
    return {"full_name": "孙丽", "username": "sunli", "phone": "13912345678", "unit_id": str(t.village),
            "position": "村委会委员", "category": "village_cadre", "role": "cadre"}


def exam_form(t: Targets) -> dict[str, Any]:
    return {"title": "宪法知识测试（三月）", "kind": "constitution", "opens_at": "2026-03-02T08:00",
            "closes_at": "2026-03-20T18:00", "duration_minutes": "30", "pass_mark": "6", "max_attempts": "2",
            "review_policy": "immediate", "multiple_scoring": "partial", "counted_attempt": "best",
            "paper_mode": "random", "unit_ids": [str(t.township)], "rules-0-topic_id": str(t.topic),
            "rules-0-qtype": "single", "rules-0-count": "2", "rules-0-points": "3"}


#   columns:     anonymous  cadre  other_cadre  outsider | trainer  village_trainer  other_trainer | admin  township_admin  other_admin
CADRE_ONLY = "L 200 200 200 403 403 403 403 403 403"
STAFF_PAGE = "L 403 403 403 200 200 200 200 200 200"
STAFF_ACTION = "L 403 403 403 302 302 302 302 302 302"
ADMIN_PAGE = "L 403 403 403 403 403 403 200 200 200"
EVERYONE_PAGE = "L 200 200 200 200 200 200 200 200 200"
EXAM_OF_示例乡 = "L 403 403 403 200 403 403 200 200 403"  # managed_exam: the owner unit's subtree
EXAM_ACTION = "L 403 403 403 302 403 403 302 302 403"
PERSON_OF_示例乡 = "L 403 403 403 403 403 403 200 200 404"  # admin only; person_in_scope
PERSON_ACTION = "L 403 403 403 403 403 403 302 302 404"
STATS_OF_示例乡 = "L 403 403 403 200 404 404 200 200 404"  # ?unit=示例乡: scoped_unit
OWN_ATTEMPT = "L 200 404 404 403 403 403 403 403 403"  # get_own_attempt

MATRIX: dict[tuple[str, str], Row] = {
    # auth
    ("auth.login", "GET"): Row("/login", "200 302 302 302 302 302 302 302 302 302"),
    ("auth.login", "POST"): Row("/login", "302 302 302 302 302 302 302 302 302 302",
                                form=lambda t: {"username": "cadre2", "password": "secret123"}),
    ("auth.logout", "POST"): Row("/logout", "OUT OUT OUT OUT OUT OUT OUT OUT OUT OUT", form=lambda t: {}),
    ("auth.change_password", "GET"): Row("/password", EVERYONE_PAGE),
    ("auth.change_password", "POST"): Row("/password", EVERYONE_PAGE, form=lambda t: {
        "current": "wrong-guess1", "new": "newpass123", "confirm": "newpass123"}),
    # the cadre's side
    ("exams.home", "GET"): Row("/", "L 302 302 302 302 302 302 302 302 302"),
    ("exams.index", "GET"): Row("/exams", CADRE_ONLY),
    ("exams.detail", "GET"): Row("/exams/{t.exam}", "L 200 200 404 403 403 403 403 403 403"),
    ("exams.start", "POST"): Row("/exams/{t.exam}/start", "L 302 302 403 403 403 403 403 403 403",
                                 form=lambda t: {}),
    ("exams.certificate", "GET"): Row("/exams/{t.passed_exam}/certificate", "L 200 404 404 403 403 403 403 403 403"),
    ("exams.take", "GET"): Row("/attempts/{t.attempt}", OWN_ATTEMPT),
    ("exams.submit", "POST"): Row("/attempts/{t.attempt}/submit", "L 302 404 404 403 403 403 403 403 403",
                                  form=lambda t: {}),
    ("exams.result", "GET"): Row("/attempts/{t.done}/result", OWN_ATTEMPT),
    ("api.attempt_state", "GET"): Row("/api/attempts/{t.attempt}/state", OWN_ATTEMPT),
    ("api.save_answer", "POST"): Row("/api/attempts/{t.attempt}/answers", OWN_ATTEMPT,
                                     json=lambda t: t.answer_body),
    ("api.practice_answer", "POST"): Row("/api/practice/answer", "L 200 200 409 200 200 200 200 200 200",
                                         json=lambda t: {"version_id": t.version, "answer": [0]}),
    ("practice.index", "GET"): Row("/practice/", EVERYONE_PAGE),
    ("practice.question", "GET"): Row("/practice/question?type=single", EVERYONE_PAGE),
    ("laws.index", "GET"): Row("/laws/", EVERYONE_PAGE),
    ("laws.read", "GET"): Row("/laws/宪法", EVERYONE_PAGE),
    ("laws.article", "GET"): Row("/laws/宪法/article?n=1", "L 302 302 302 302 302 302 302 302 302"),
    ("static", "GET"): Row("/static/css/app.css", "200 200 200 200 200 200 200 200 200 200"),
    ("offline_worker", "GET"): Row("/sw.js", "200 200 200 200 200 200 200 200 200 200"),  # the exam page's service worker
    # the question bank: one for the county
    ("bank.index", "GET"): Row("/bank/?q=宪法", STAFF_PAGE),
    ("bank.article_lookup", "GET"): Row("/bank/articles?law=宪法&article=1", STAFF_PAGE),
    ("bank.bulk", "POST"): Row("/bank/bulk", STAFF_ACTION,
                               form=lambda t: {"codes": ["TXF-0002"], "action": "retire", "next": "/bank/"}),
    ("bank.export_form", "GET"): Row("/bank/export", STAFF_PAGE),
    ("bank.export_download", "GET"): Row("/bank/export/download?format=csv", STAFF_PAGE),
    ("bank.import_bank", "GET"): Row("/bank/import", STAFF_PAGE),
    ("bank.import_bank", "POST"): Row("/bank/import", STAFF_PAGE, files=True, form=lambda t: {
        "topic": "基层治理", "files": [(io.BytesIO(BANK_CSV), "基层.csv")]}),
    ("bank.confirm_import", "POST"): Row("/bank/import/confirm", "L 403 403 403 200 404 404 404 404 404",
                                         form=lambda t: {"token": t.bank_token, "topic": "基层治理"}),
    ("bank.import_template", "GET"): Row("/bank/import/template.xlsx", STAFF_PAGE),
    ("bank.question", "GET"): Row("/bank/questions/{t.report_code}", STAFF_PAGE),
    ("bank.edit_question", "GET"): Row("/bank/questions/TXF-0001/edit", STAFF_PAGE),
    ("bank.edit_question", "POST"): Row("/bank/questions/TXF-0003/edit", STAFF_ACTION,
                                        form=lambda t: question_form(base_version="1")),
    ("bank.retire", "POST"): Row("/bank/questions/TXF-0002/retire", STAFF_ACTION, form=lambda t: {"retired": "1"}),
    ("bank.new_question", "GET"): Row("/bank/questions/new", STAFF_PAGE),
    ("bank.new_question", "POST"): Row("/bank/questions/new", STAFF_ACTION, form=lambda t: question_form()),
    ("bank.report_list", "GET"): Row("/bank/reports?status=all&made={t.report}", STAFF_PAGE),
    ("bank.answer_report", "POST"): Row("/bank/reports/{t.report}", "L 403 403 403 302 404 404 302 302 404",
                                        form=lambda t: {"reply": "已改正", "resolve": "y"}),
    ("bank.report_problem", "POST"): Row("/bank/reports/new", "L 302 302 302 302 302 302 302 302 302",
                                         form=lambda t: {"version_id": str(t.version), "message": "选项B有错别字",
                                                         "next": "/practice/"}),
    ("bank.topics", "GET"): Row("/bank/topics", STAFF_PAGE),
    ("bank.create_topic", "POST"): Row("/bank/topics/new", STAFF_ACTION, form=lambda t: {"name": "乡村振兴"}),
    ("bank.rename_topic", "POST"): Row("/bank/topics/{t.topic}/rename", STAFF_ACTION,
                                       form=lambda t: {"name": "宪法（2018年修正）"}),
    ("bank.delete_topic", "POST"): Row("/bank/topics/{t.empty_topic}/delete", STAFF_ACTION, form=lambda t: {}),
    ("bank.rename_tag", "POST"): Row("/bank/tags/rename", STAFF_ACTION, form=lambda t: {"old": t.tag, "new": "宪法总纲"}),
    # exams, as trainers and admins keep them: 示例乡's exam
    ("manage.exams", "GET"): Row("/manage/exams", STAFF_PAGE),
    ("manage.new_exam", "GET"): Row("/manage/exams/new?copy={t.exam}", EXAM_OF_示例乡),
    ("manage.new_exam", "POST"): Row("/manage/exams/new", "L 403 403 403 302 200! 200! 302 302 200!", form=exam_form),
    ("manage.exam_detail", "GET"): Row("/manage/exams/{t.exam}", EXAM_OF_示例乡),
    ("manage.edit_exam", "GET"): Row("/manage/exams/{t.exam}/edit", EXAM_OF_示例乡),
    ("manage.edit_exam", "POST"): Row("/manage/exams/{t.exam}/edit", EXAM_ACTION, form=lambda t: {
        "title": "2026年度学法用法考试（改）", "closes_at": "2026-03-20T18:00", "review_policy": "immediate",
        "unit_ids": [str(t.township)]}),
    ("manage.close_exam", "POST"): Row("/manage/exams/{t.exam}/close", EXAM_ACTION, form=lambda t: {}),
    ("manage.reopen_exam", "POST"): Row("/manage/exams/{t.exam}/reopen", EXAM_ACTION,
                                        form=lambda t: {"closes_at": "2026-03-30T18:00"}),
    ("manage.delete_exam", "POST"): Row("/manage/exams/{t.upcoming_exam}/delete", EXAM_ACTION, form=lambda t: {}),
    ("manage.exemptions_view", "POST"): Row("/manage/exams/{t.exam}/exemptions", EXAM_ACTION, form=lambda t: {
        "user_ids": [str(t.cadre2)], "action": "set", "kind": "exempt", "reason": "sick_leave"}),
    ("manage.makeup", "POST"): Row("/manage/exams/{t.exam}/makeup", EXAM_ACTION, form=lambda t: {
        "user_ids": [str(t.leader)], "mode": "extra", "extra": "1"}),
    # people and units (cadre2 of 东风村委会), and the audit log
    ("admin.audit_log", "GET"): Row("/admin/audit", ADMIN_PAGE),
    ("admin.users", "GET"): Row("/admin/users", "L 403 403 403 302 302 302 302 302 302"),
    ("admin.people", "GET"): Row("/admin/people", STAFF_PAGE),
    ("admin.new_person", "GET"): Row("/admin/people/new", ADMIN_PAGE),
    ("admin.new_person", "POST"): Row("/admin/people/new", "L 403 403 403 403 403 403 200 200 200!", form=person_form),
    ("admin.edit_person", "GET"): Row("/admin/people/{t.cadre2}", PERSON_OF_示例乡),
    ("admin.edit_person", "POST"): Row("/admin/people/{t.cadre2}", PERSON_ACTION,
                                       form=lambda t: dict(person_form(t), username="cadre2", phone="")),
    ("admin.leave", "POST"): Row("/admin/people/{t.cadre2}/leave", PERSON_ACTION,
                                 form=lambda t: {"reason": "retired", "on": "2026-03-01"}),
    ("admin.reactivate", "POST"): Row("/admin/people/{t.cadre2}/return", PERSON_ACTION, form=lambda t: {}),
    ("admin.delete_person", "POST"): Row("/admin/people/{t.cadre2}/delete", PERSON_ACTION, form=lambda t: {}),
    ("admin.reset_password", "POST"): Row("/admin/people/{t.cadre2}/password", "L 403 403 403 200 200 404 200 200 404",
                                          form=lambda t: {}),
    ("admin.import_roster", "GET"): Row("/admin/people/import", ADMIN_PAGE),
    ("admin.import_roster", "POST"): Row("/admin/people/import", ADMIN_PAGE, files=True,
                                         form=lambda t: {"file": (io.BytesIO(ROSTER_CSV), "名单.csv")}),
    ("admin.confirm_import", "POST"): Row("/admin/people/import/confirm", "L 403 403 403 403 403 403 404 200 404",
                                          form=lambda t: {"token": t.roster_token}),
    ("admin.import_passwords", "GET"): Row("/admin/people/import/passwords/{t.passwords_token}",
                                           "L 403 403 403 403 403 403 404 200 404"),
    ("admin.import_template", "GET"): Row("/admin/people/import/template.xlsx", ADMIN_PAGE),
    ("admin.units", "GET"): Row("/admin/units", ADMIN_PAGE),
    ("admin.units", "POST"): Row("/admin/units", "L 403 403 403 403 403 403 302 302 404", form=unit_form),
    ("admin.edit_unit", "GET"): Row("/admin/units/{t.village}", PERSON_OF_示例乡),
    ("admin.edit_unit", "POST"): Row("/admin/units/{t.village}", PERSON_ACTION, form=lambda t: {
        "name": "东风村民委员会", "kind": "village", "parent_id": str(t.township)}),
    ("admin.set_unit_active", "POST"): Row("/admin/units/{t.village}/active", PERSON_ACTION,
                                           form=lambda t: {"active": "0"}),
    # statistics of 示例乡
    ("stats.dashboard", "GET"): Row("/stats/?unit={t.township}", STATS_OF_示例乡),
    ("stats.people", "GET"): Row("/stats/people?who=taken&unit={t.township}", STATS_OF_示例乡),
    ("stats.missing", "GET"): Row("/stats/missing?unit={t.township}", STATS_OF_示例乡),
    ("stats.missing_download", "GET"): Row("/stats/missing.csv?unit={t.township}", STATS_OF_示例乡),
    ("stats.items", "GET"): Row("/stats/items?unit={t.township}", STATS_OF_示例乡),
    ("stats.report_preview", "GET"): Row("/stats/report?unit={t.township}", STATS_OF_示例乡),
    ("stats.report_download", "GET"): Row("/stats/report.xlsx?unit={t.township}", STATS_OF_示例乡),
    ("stats.cadre", "GET"): Row("/stats/cadre/{t.cadre3}", STATS_OF_示例乡),
    ("stats.transcript", "GET"): Row("/stats/exams/{t.exam}/transcript", EXAM_OF_示例乡),
    ("stats.certificate", "GET"): Row("/stats/certificate/{t.passed_exam}/{t.passed_user}", EXAM_OF_示例乡),
}

CJK = re.compile(r"[\u4e00-\u9fff]")
REFUSALS = {"L", "403", "404", "200!"}


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}  # type: ignore[operator]
    assert sorted(routes - MATRIX.keys()) == [], "routes without a row in the authorization matrix"
    assert sorted(MATRIX.keys() - routes) == [], "rows for routes that no longer exist"
    for row in MATRIX.values():
        row.outcomes()


def fingerprint(connection: Connection) -> dict[str, list[str]]:
    """Every table's rows (the audit log aside: it keeps refusals on purpose)."""
    return {table.name: sorted(repr(tuple(r)) for r in connection.execute(table.select()))
            for table in Base.metadata.sorted_tables if table.name != "audit_events"}


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """What the visitor reads: the page, or the JSON decoded (jsonify escapes Chinese as \\uXXXX)."""
    if response.is_json:
        return repr(response.get_json(silent=True))
    return response.get_data(as_text=True)


def judge(expected: str, response, method: str, path: str) -> str | None:  # type: ignore[no-untyped-def]
    """What is wrong with the response, or None."""
    status, location = response.status_code, response.headers.get("Location", "")
    if expected == "L":
        if path.startswith("/api/"):
            ok = status == 401 and (response.get_json(silent=True) or {}).get("code") == "login"
        else:
            target = "/login?next=" if method == "GET" else "/login"
            ok = status == 302 and (location == "/login" or location.startswith(target)) \
                and (method != "GET" or "next=" in location)
    elif expected == "OUT":
        ok = status == 302 and location.startswith("/login")
    elif expected.rstrip("!") == "302":
        ok = status == 302 and not location.startswith("/login")
    else:
        ok = status == int(expected.rstrip("!"))
        if ok and status in (403, 404) and not CJK.search(text_of(response)):
            return f"{status} without a Chinese message"
    if ok:
        return None
    return f"expected {expected}, got {status}{' → ' + location if location else ''}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_route_answers_each_persona_as_the_matrix_says(request, app: Flask, clock, persona: str) -> None:  # type: ignore[no-untyped-def]
    ids = app.extensions["quizapp.test_world"].by_name
    connection: Connection = app.extensions["quizapp.sessionmaker"].kw["bind"]
    first = app.test_client()
    token = login(first, USERNAMES[persona]) if persona in USERNAMES else csrf_from(first.get("/login").text)
    cookie = first.get_cookie("session").value
    names = "|".join(UNSEEN.get(persona, "").split())
    unseen = re.compile(rf"用户(?:{names})(?![0-9a-z])") if names else None
    problems: list[str] = []
    for (endpoint, method), row in MATRIX.items():
        expected = row.outcomes()[persona]
        savepoint = connection.begin_nested()
        try:
            t = Targets(app, clock, ids, own=persona == "cadre")
            path = row.path.format(t=t)
            kwargs: dict[str, Any] = {}
            if row.json is not None:
                kwargs = {"json": row.json(t), "headers": {"X-CSRFToken": token}}
            elif row.form is not None:
                kwargs = {"data": {"csrf_token": token, **row.form(t)}}
                if row.files:
                    kwargs["content_type"] = "multipart/form-data"
            refused = expected in REFUSALS or expected.endswith("!")
            before = fingerprint(connection) if method == "POST" and refused else None
            client = app.test_client()
            client.set_cookie("session", cookie)
            response = client.open(path, method=method, **kwargs)
            problem = judge(expected, response, method, path)
            if response.status_code >= 500:
                problem = f"{response.status_code}: {response.get_data(as_text=True)[:300]}"
            if problem is None and before is not None and fingerprint(connection) != before:
                changed = [name for name, rows in fingerprint(connection).items() if rows != before[name]]
                problem = f"refused ({response.status_code}) but changed {changed}"
            if (problem is None and unseen is not None and response.status_code == 200
                    and response.mimetype.startswith(("text/", "application/json"))):
                if seen := unseen.search(text_of(response)):
                    problem = f"shows {seen.group(0)}, who is outside {persona}'s scope"
            if problem:
                problems.append(f"{endpoint} {method} {path}: {problem}")
        finally:
            savepoint.rollback()
    endpoints = len({endpoint for endpoint, _ in MATRIX})
    tally(request.config, f"authorization matrix ({endpoints} endpoints, {len(MATRIX)} endpoint × method rows, "
                          f"{len(PERSONAS)} personas): checks on {request.node.callspec.params['app']}", len(MATRIX))
    assert not problems, f"{persona}:\n" + "\n".join(problems)

"""Every form and JSON endpoint, fed random and hostile input (hypothesis): never a 5xx.

Bad input is a 4xx or the form shown again, and what the visitor reads about it is Chinese: the
error page's message, each field's message, each flashed message, a JSON `error`. A redirect is
followed once, so that the message it flashes is read too.

Each example runs in a savepoint rolled back afterwards, on a fresh client carrying the session
cookie of a login made once per test: no example sees what another one wrote, and an example
that logs out, changes the password or locks an account does not end the session of the next.

The values: huge and negative numbers, NaN/sNaN/Infinity, full-width digits, dates in year 1 and
9999 and days that do not exist, NUL and other control characters, bidi marks, emoji, very long
strings, HTML and SQL fragments, wrong types and deep nesting in JSON, unknown keys, missing
fields, random bytes and invalid UTF-8 in uploads.
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import yaml
from flask import Flask
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from sqlalchemy import select
from sqlalchemy.engine import Connection

from quizapp.db import session_scope
from quizapp.models import Attempt, AttemptItem, QuestionVersion, Topic, User
from quizapp.services.attempts import start_attempt

from ..conftest import csrf_from, login
from ..tally import tally

SCALE = float(os.environ.get("QUIZAPP_FUZZ_SCALE", "1"))  # more examples for a longer hunt: QUIZAPP_FUZZ_SCALE=10


# Shrinking a failure to its smallest form can take minutes per test; the server's traceback in the
# failure already says where it broke. QUIZAPP_FUZZ_SHRINK=1 shrinks.
PHASES = list(Phase) if os.environ.get("QUIZAPP_FUZZ_SHRINK") else [p for p in Phase if p.name not in ("shrink", "explain")]


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None, database=None, phases=PHASES,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


# ----------------------------------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------------------------------

NUMBERS = ["0", "-1", "1", "2", "7", str(2**31 - 1), str(2**31), str(2**63), str(2**64), str(10**30),
           "-" + str(2**63), "9" * 400, "1e309", "-1e309", "1e-400", "NaN", "nan", "sNaN", "-sNaN", "Infinity",
           "-Infinity", "inf", "0.001", "1.005", "100.001", "99999999999.99", "-0", "+5", "１２", "٣", "0x1F",
           "1_000", " 7 ", "7\t", "3.", ".5", "1,5", "Ⅻ"]
DATES = ["0001-01-01", "9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T08:00",
         "2026-02-29", "2026-03-02 08:00", "2026-03-02T08:00:00", "2026-03-02T08:00:00.999999",
         "2026-13-01T00:00", "2026-03-02T24:00", "1999-12-31T23:59", "2101-01-01T00:00", "10000-01-01T00:00",
         "+2026-03-02T08:00", "2026-03-02T08:00Z", "2026-03-02T08:00+08:00", "0000-00-00", "2026-3-2T8:0",
         "２０２６-03-02T08:00", "1970-01-01T00:00", "2038-01-19T03:14"]
TEXTS = ["", " ", "\x00", "a\x00b", "\x01\x02\x1b[31m\x7f", "\r\n", "\n" * 50, "\t", "\u202e\u200b\ufeff\u2028",
         "\U0001F600\U0001F468\u200d\U0001F469", "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>",
         "{{ 7*7 }}", "${7*7}", "' OR 1=1 --", "%", "_", "%_\\", "\\", "../../etc/passwd", "/", "//evil.example",
         "https://evil.example/", "javascript:alert(1)", "x" * 10_000, "法" * 3000, "a" * 65, "题" * 101,
         "true", "false", "null", "None", "[]", "{}", "y", "on", "off", "1" * 400, "\u3000", "ｆｕｌｌ",
         "序言", "第十七条", "第0条", "第100000条", "cadre1", "CADRE1 ", "admin"]
SPECIALS = NUMBERS + DATES + TEXTS

PRINTABLE = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
ANY_TEXT = st.text(alphabet=PRINTABLE, max_size=40)


def value() -> st.SearchStrategy[str]:
    """One form or query value: mostly hostile, sometimes anything."""
    return st.one_of(
        st.sampled_from(SPECIALS),
        ANY_TEXT,
        st.integers().map(str),
        st.floats().map(str),
        st.datetimes().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}"),
    )


ABSENT = object()


def field(valid: Any = None) -> st.SearchStrategy[Any]:
    """A form field: a valid value, a hostile one, several values, or none at all."""
    choices = [value(), st.lists(value(), min_size=2, max_size=3), st.just(ABSENT)]
    if valid is not None:
        choices = [st.just(valid), st.just(valid), *choices]
    return st.one_of(*choices)


def form(fields: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A form body: each field valid, hostile or missing, plus a few fields nobody asked for."""
    return st.tuples(
        st.fixed_dictionaries({name: field(valid) for name, valid in fields.items()}),
        st.dictionaries(st.one_of(st.sampled_from(["next", "page", "id", "__proto__", "csrf_token2", "rules-99-count",
                                                     "rules-31-topic_id", "options-9", "basis-7-law", "unit_ids"]),
                                  ANY_TEXT.filter(bool)), value(), max_size=3),
    ).map(lambda pair: {k: v for k, v in {**pair[1], **pair[0]}.items() if v is not ABSENT})


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from([2**63, -(2**63) - 1, 10**30, -1, 0]),
                      st.floats(), st.text(alphabet=PRINTABLE, max_size=20), st.sampled_from(TEXTS))
JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
RAW_JSON = [b"", b"null", b"not json", b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
            b'{"item_id": "\xff\xfe", "answer": [0]}', b"\xef\xbb\xbf{\"item_id\": 1}", b'{"item_id": 1e999}',
            b'{"item_id": ' + b"9" * 5000 + b"}", b'{"item_id": NaN, "answer": Infinity}',
            b'{"item_id": 1, "item_id": 2}', b'{"answer": [0]} trailing', b"\x00\x01\x02", b'"\\ud800"']


# ----------------------------------------------------------------------------------------------
# A visitor whose every request is checked
# ----------------------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = [re.compile(r'<p class="lead mt-3">(.*?)</p>', re.S),  # the error page
            re.compile(r'invalid-feedback[^"]*">([^<]*)<'),  # a field's message
            re.compile(r'role="alert">([^<]*)<')]  # a flashed message


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(logging.Formatter().format(record))


_ERRORS: dict[str, type[AssertionError]] = {}


def server_error(trace: str) -> type[AssertionError]:
    """One exception class per place the server failed, so that hypothesis reports each 500 it
    finds (it tells bugs apart by the type and origin of the exception) instead of the first."""
    frames = re.findall(r'File "([^"]+)", line (\d+)', trace)
    mine = [f"{path.split('/quizapp/')[-1]}:{line}" for path, line in frames if "/quizapp/" in path]
    origin = mine[-1] if mine else (f"{frames[-1][0].rsplit('/', 1)[-1]}:{frames[-1][1]}" if frames else "unknown")
    name = "ServerError at " + origin
    return _ERRORS.setdefault(name, type(name, (AssertionError,), {}))


class Visitor:
    """Logged in once (or not at all); each request on a fresh client, inside a savepoint."""

    def __init__(self, app: Flask, request: pytest.FixtureRequest, username: str | None) -> None:
        self.app, self.config = app, request.config
        self.backend = request.node.callspec.params["app"]
        self.connection: Connection = app.extensions["quizapp.sessionmaker"].kw["bind"]
        first = app.test_client()
        self.token = login(first, username) if username else csrf_from(first.get("/login").text)
        self.cookie = first.get_cookie("session").value
        self.errors = Collect()

    def client(self):  # type: ignore[no-untyped-def]
        client = self.app.test_client()
        client.set_cookie("session", self.cookie)
        return client

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        body = {"csrf_token": self.token, **(data or {})}
        return self.send("POST", path, data=body, **kwargs)

    def post_json(self, path: str, body: Any = None, raw: bytes | None = None,
                  content_type: str = "application/json"):  # type: ignore[no-untyped-def]
        data = raw if raw is not None else json.dumps(body).encode()
        return self.send("POST", path, data=data, content_type=content_type, headers={"X-CSRFToken": self.token})

    def get(self, path: str):  # type: ignore[no-untyped-def]
        return self.send("GET", path)

    def send(self, method: str, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        from quizapp.web.limits import limiter

        limiter.reset()  # the lockout is tested elsewhere; here every example gets its own tries
        savepoint = self.connection.begin_nested()
        self.app.logger.addHandler(self.errors)
        self.errors.records.clear()
        try:
            client = self.client()
            response = client.open(path, method=method, **kwargs)
            tally(self.config, f"fuzz examples, one request each ({self.backend})")
            if currently_in_test_context():
                event(f"answered {response.status_code}")  # --hypothesis-show-statistics shows the spread
            self.check(response, method, path)
            location = response.headers.get("Location", "")
            if response.status_code in (301, 302, 303) and location.startswith("/"):
                followed = client.get(location)  # the page it comes back to, with the flashed message
                self.check(followed, "GET", location)
            return response
        finally:
            self.app.logger.removeHandler(self.errors)
            savepoint.rollback()

    def check(self, response, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
        status = response.status_code
        where = f"{method} {path[:200]}"
        if status >= 500:
            tally(self.config, f"fuzz 5xx answers ({self.backend})")
            trace = "\n".join(self.errors.records) or response.get_data(as_text=True)[:500]
            raise server_error(trace)(f"{where} answered {status}\n{trace}")
        if response.is_json:
            body = response.get_json(silent=True)
            if status >= 400:
                assert isinstance(body, dict) and CJK.search(str(body.get("error", ""))), (where, status, body)
            return
        if response.mimetype != "text/html":
            return  # a download
        text = response.get_data(as_text=True)
        if status >= 400:
            assert CJK.search(text), (where, status, text[:300])
        for pattern in MESSAGES:
            for message in pattern.findall(text):
                if message.strip():
                    assert CJK.search(message), (where, status, message)


@pytest.fixture
def anonymous(app: Flask, request: pytest.FixtureRequest) -> Visitor:
    return Visitor(app, request, None)


@pytest.fixture
def cadre(app: Flask, request: pytest.FixtureRequest) -> Visitor:
    return Visitor(app, request, "cadre1")


@pytest.fixture
def trainer(app: Flask, request: pytest.FixtureRequest) -> Visitor:
    return Visitor(app, request, "trainer")


@pytest.fixture
def admin(app: Flask, request: pytest.FixtureRequest) -> Visitor:
    return Visitor(app, request, "admin")  # the county's admin: every page, the widest scope


@pytest.fixture
def ids(app: Flask) -> dict[str, int]:
    return app.extensions["quizapp.test_world"].by_name


@pytest.fixture
def attempt(app: Flask, clock, ids: dict[str, int]) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """cadre1's attempt in progress, and its items' ids (made once, before the examples)."""
    with app.app_context(), session_scope(app) as s:
        made = start_attempt(s, ids["exam"], s.get(User, ids["cadre"]), clock())
        items = list(s.scalars(select(AttemptItem.id).where(AttemptItem.attempt_id == made.id)))
        return made.id, items


@pytest.fixture
def topic_ids(app: Flask) -> list[int]:
    with app.app_context(), session_scope(app) as s:
        return list(s.scalars(select(Topic.id)))


def some_id(ids: dict[str, int], *names: str) -> st.SearchStrategy[str]:
    """A real id of the county (in scope or not), or a hostile number."""
    return st.one_of(st.sampled_from([str(ids[n]) for n in names]), st.sampled_from(NUMBERS))


# ----------------------------------------------------------------------------------------------
# Logging in and the password
# ----------------------------------------------------------------------------------------------

@fuzz_settings(40)
@given(data=form({"username": "cadre2", "password": "secret123"}), next_=st.one_of(st.none(), value()))
def test_login(anonymous: Visitor, data: dict[str, Any], next_: str | None) -> None:
    path = "/login" if next_ is None else "/login?" + urlencode({"next": next_})
    anonymous.post(path, data)


@fuzz_settings(30)
@given(data=form({"current": "secret123", "new": "newpass123", "confirm": "newpass123"}))
def test_password_change(cadre: Visitor, data: dict[str, Any]) -> None:
    cadre.post("/password", data)


# ----------------------------------------------------------------------------------------------
# Exams: the form with its rule rows, the limited form, and the small forms of the exam page
# ----------------------------------------------------------------------------------------------

def exam_fields(ids: dict[str, int], topic: int) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "宪法知识测试（三月）", "kind": "constitution", "description": "说明", "opens_at": "2026-03-02T08:00",
        "closes_at": "2026-03-20T18:00", "duration_minutes": "30", "pass_mark": "6", "max_attempts": "2",
        "shuffle_questions": "y", "shuffle_options": "y", "review_policy": "immediate",
        "multiple_scoring": "partial", "counted_attempt": "best", "paper_mode": "random", "exam_only_pool": None,
        "unit_ids": str(ids["township"]), "fixed_codes": "TXF-0001\nTXF-0005", "fixed_points": "20",
    }
    for n in range(3):
        fields.update({f"rules-{n}-topic_id": str(topic), f"rules-{n}-qtype": ["single", "true_false", "multiple"][n],
                       f"rules-{n}-count": "1", f"rules-{n}-points": "2"})
    return fields


@fuzz_settings(50)
@given(data=st.data())
def test_exam_form(trainer: Visitor, ids: dict[str, int], topic_ids: list[int], data: st.DataObject) -> None:
    body = data.draw(form(exam_fields(ids, topic_ids[0])))
    target = data.draw(st.sampled_from([
        "/manage/exams/new", f"/manage/exams/{ids['upcoming_exam']}/edit",  # no attempts yet: the whole form
        f"/manage/exams/{ids['exam']}/edit"]))  # started: the limited form
    trainer.post(target, body)


@fuzz_settings(40)
@given(data=st.data())
def test_exam_page_actions(trainer: Visitor, ids: dict[str, int], data: st.DataObject) -> None:
    exam = data.draw(st.sampled_from([ids["exam"], ids["upcoming_exam"], ids["fixed_exam"]]))
    people = some_id(ids, "cadre", "cadre2", "leader", "outsider", "admin")
    action, fields = data.draw(st.sampled_from([
        ("reopen", {"closes_at": "2026-03-30T18:00"}),
        ("exemptions", {"user_ids": str(ids["cadre2"]), "action": "set", "kind": "exempt", "reason": "sick_leave",
                        "note": "住院", "approved_by": "乡长"}),
        ("makeup", {"user_ids": str(ids["leader"]), "mode": "copy", "extra": "1", "opens_at": "2026-03-03T08:00",
                    "closes_at": "2026-03-10T18:00"}),
        ("close", {}), ("delete", {}),
    ]))
    body = data.draw(form(fields))
    if "user_ids" in body and data.draw(st.booleans()):
        body["user_ids"] = data.draw(st.lists(people, max_size=4))
    trainer.post(f"/manage/exams/{exam}/{action}", body)


# ----------------------------------------------------------------------------------------------
# People and units
# ----------------------------------------------------------------------------------------------

@fuzz_settings(40)
@given(data=st.data())
def test_unit_forms(admin: Visitor, ids: dict[str, int], data: st.DataObject) -> None:
    units = some_id(ids, "county", "township", "village", "other_township")
    unit = data.draw(st.sampled_from([ids["village"], ids["village2"], ids["township"], ids["county"]]))
    target, fields = data.draw(st.sampled_from([
        ("/admin/units", {"name": "驻村工作队", "kind": "work_team", "parent_id": str(ids["township"])}),
        (f"/admin/units/{unit}", {"name": "东风村民委员会", "kind": "village", "parent_id": str(ids["township"])}),
        (f"/admin/units/{unit}/active", {"active": "0"}),
    ]))
    body = data.draw(form(fields))
    if "parent_id" in fields and data.draw(st.booleans()):
        body["parent_id"] = data.draw(units)
    admin.post(target, body)


@fuzz_settings(40)
@given(data=st.data())
def test_person_forms(admin: Visitor, ids: dict[str, int], data: st.DataObject) -> None:
    person = data.draw(st.sampled_from([ids["cadre2"], ids["leader"], ids["outsider"], ids["admin"]]))
    fields = {"full_name": "孙丽", "username": "sunli", "phone": "13912345678", "unit_id": str(ids["village"]),
              "position": "村委会委员", "category": "village_cadre", "is_leader": "y", "role": "cadre"}
    target, fields = data.draw(st.sampled_from([
        ("/admin/people/new", fields), (f"/admin/people/{person}", fields),
        (f"/admin/people/{person}/leave", {"reason": "retired", "on": "2026-03-01"}),
        (f"/admin/people/{person}/return", {}), (f"/admin/people/{person}/delete", {}),
        (f"/admin/people/{person}/password", {}),
    ]))
    body = data.draw(form(fields))
    if "unit_id" in body and data.draw(st.booleans()):
        body["unit_id"] = data.draw(some_id(ids, "county", "village", "other_village"))
    admin.post(target, body)


# ----------------------------------------------------------------------------------------------
# Uploads: rosters and bank files
# ----------------------------------------------------------------------------------------------

FILENAMES = ["名单.csv", "名单.xlsx", "roster.CSV", "r.txt", "r.xls", "r.docx", "", "无扩展名", ".csv", "a" * 300 + ".csv",
             "../../etc/passwd.csv", "名\x00单.csv", "bank.yaml", "bank.yml", "bank.gift", "bank.xml", "bank.txt",
             "题库.xlsx", "题库.csv", "C:\\fakepath\\题库.yaml", "bank.yaml.exe", "\u202ebank.yaml"]
BAD_BYTES = [b"", b"\x00" * 64, b"\xff\xfe\xfd", b"\xc3\x28\xa0\xa1", b"\xef\xbb\xbf", b"PK\x03\x04" + b"\x00" * 100,
             b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
             b"[" * 20_000 + b"]" * 20_000, b"a: &a [" + b"*a, " * 50 + b"]\n",
             b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
             b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
             b"!!python/object/apply:os.system ['true']", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>"
             b"<!ENTITY b '&a;&a;&a;&a;'>]><quiz>&b;</quiz>", b"::\n{\n}\n", b"\r\n" * 100]
ROSTER_HEADERS = ["姓名", "账号", "手机号", "单位", "职务", "人员类别", "是否领导干部"]
BANK_HEADERS = ["题型", "题干", "选项A", "选项B", "选项C", "答案", "解析", "难度", "专题", "题号", "法律", "条款", "原文"]
CELL = st.one_of(value(), st.sampled_from(["示例乡/东风村委会", "示例县/示例乡", "村（社区）干部", "公务员", "是", "否",
                                             "单选", "多选", "判断", "A", "AB", "√", "×", "宪法", "1", "第九条"]))


def csv_bytes(headers: list[str], rows: list[list[str]], encoding: str) -> bytes:
    lines = [",".join(headers)] + [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows]
    return "\n".join(lines).encode(encoding, errors="ignore")


def xlsx_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for row in [headers, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c)[:32_000] for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_file(headers: list[str]) -> st.SearchStrategy[bytes]:
    rows = st.lists(st.lists(CELL, min_size=0, max_size=len(headers) + 2), min_size=0, max_size=4)
    return st.one_of(
        st.tuples(rows, st.sampled_from(["utf-8", "gbk", "utf-16", "utf-8-sig"])).map(
            lambda p: csv_bytes(headers, p[0], p[1])),
        rows.map(lambda r: xlsx_bytes(headers, r)),
    )


def yaml_bank() -> st.SearchStrategy[bytes]:
    question = st.fixed_dictionaries({
        "id": st.one_of(st.just("QB-00001"), value()), "type": st.one_of(st.sampled_from(["single", "true_false"]), value()),
        "stem": st.one_of(st.just("村民委员会每届任期几年？"), value()), "options": st.one_of(st.just(["三年", "五年"]), JSON),
        "answer": st.one_of(st.just("B"), JSON), "difficulty": st.one_of(st.just(1), JSON),
        "basis": st.one_of(st.just([{"law": "宪法", "article": 1, "quote": "社会主义制度"}]),
                           st.lists(st.fixed_dictionaries({"law": st.one_of(st.just("宪法"), value()),
                                                           "article": st.one_of(st.integers(), value()),
                                                           "quote": value()}), max_size=2), JSON),
    })
    bank = st.fixed_dictionaries({"topic": st.one_of(st.just("基层治理"), value()),
                                  "questions": st.one_of(st.lists(question, max_size=3), JSON)})
    return bank.map(lambda b: yaml.safe_dump(b, allow_unicode=True).encode())


UPLOAD = st.one_of(st.binary(max_size=2000), st.sampled_from(BAD_BYTES))


@fuzz_settings(40)
@given(content=st.one_of(UPLOAD, table_file(ROSTER_HEADERS)), name=st.sampled_from(FILENAMES))
def test_roster_upload(admin: Visitor, content: bytes, name: str) -> None:
    admin.post("/admin/people/import", {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


@fuzz_settings(40)
@given(files=st.lists(st.tuples(st.one_of(UPLOAD, table_file(BANK_HEADERS), yaml_bank()), st.sampled_from(FILENAMES)),
                      min_size=0, max_size=3),
       extra=form({"topic": "基层治理", "exam_only": "y"}))
def test_bank_upload(trainer: Visitor, files: list[tuple[bytes, str]], extra: dict[str, Any]) -> None:
    body = {**extra, "files": [(io.BytesIO(content), name) for content, name in files]}
    trainer.post("/bank/import", body, content_type="multipart/form-data")


@fuzz_settings(30)
@given(data=st.data())
def test_confirmations_and_one_time_downloads(admin: Visitor, data: st.DataObject) -> None:
    token = data.draw(st.one_of(value(), st.text(alphabet="ABCDEFabcdef0123456789-_", min_size=32, max_size=32)))
    target = data.draw(st.sampled_from(["/admin/people/import/confirm", "/bank/import/confirm", "passwords"]))
    if target == "passwords":
        admin.get("/admin/people/import/passwords/" + quote(token or "x", safe=""))
    else:
        admin.post(target, data.draw(form({"token": token, "topic": "基层治理", "exam_only": "1"})))


# ----------------------------------------------------------------------------------------------
# The bank: the editor and the small forms
# ----------------------------------------------------------------------------------------------

EDITOR = {"topic": "宪法", "qtype": "single", "stem": "根据宪法，国家保障自然资源的合理利用。这一规定体现了（　）。",
          "options-0": "国家对自然资源的保护", "options-1": "个人对自然资源的处分", "options-2": "", "options-3": "",
          "options-4": "", "options-5": "", "answer_letters": "A", "answer_truth": "true", "explanation": "宪法第九条。",
          "difficulty": "2", "tags": "总纲、自然资源", "basis-0-law": "宪法", "basis-0-article": "第九条",
          "basis-0-quote": "国家保障自然资源的合理利用", "basis-1-law": "", "basis-1-article": "", "basis-1-quote": "",
          "basis-2-law": "", "basis-2-article": "", "basis-2-quote": "", "source": "", "exam_only": None,
          "base_version": "1", "confirm": "y"}


@fuzz_settings(50)
@given(body=form(EDITOR), target=st.sampled_from(["/bank/questions/new", "/bank/questions/TXF-0003/edit"]))
def test_bank_editor(trainer: Visitor, body: dict[str, Any], target: str) -> None:
    trainer.post(target, body)


@fuzz_settings(40)
@given(data=st.data())
def test_bank_small_forms(trainer: Visitor, ids: dict[str, int], topic_ids: list[int], data: st.DataObject) -> None:
    topic = data.draw(st.one_of(st.sampled_from(topic_ids), st.sampled_from([2**31 - 1, 1])))
    target, fields = data.draw(st.sampled_from([
        ("/bank/bulk", {"codes": "TXF-0002", "action": "move", "value": "乡村振兴", "next": "/bank/?q=宪法"}),
        ("/bank/questions/TXF-0002/retire", {"retired": "1"}),
        ("/bank/topics/new", {"name": "乡村振兴"}),
        (f"/bank/topics/{topic}/rename", {"name": "宪法（修正）"}),
        (f"/bank/topics/{topic}/delete", {}),
        ("/bank/tags/rename", {"old": "总纲", "new": "宪法总纲"}),
        ("/bank/reports/new", {"version_id": "1", "message": "选项B有错别字", "next": "/practice/"}),
        ("/bank/reports/1", {"reply": "已改正", "resolve": "y"}),
    ]))
    body = data.draw(form(fields))
    if target == "/bank/bulk" and data.draw(st.booleans()):
        body["action"] = data.draw(st.sampled_from(["retire", "restore", "move", "tag", "untag", "exam_only", "practice"]))
        body["codes"] = data.draw(st.lists(st.one_of(st.sampled_from(["TXF-0001", "TMF-0001", "NOPE"]), value()),
                                           max_size=5))
    trainer.post(target, body)


# ----------------------------------------------------------------------------------------------
# Search and filter query strings, and ids and names in paths
# ----------------------------------------------------------------------------------------------

STAFF_PAGES = {
    "/bank/": ["q", "topic", "type", "difficulty", "status", "tag", "law", "article", "flag", "sort", "page"],
    "/bank/export": ["q", "topic", "type", "status", "law", "article", "format"],
    "/bank/export/download": ["format", "q", "topic", "type", "difficulty", "status", "tag", "law", "article", "flag"],
    "/bank/articles": ["law", "article", "quote"],
    "/bank/reports": ["status"],
    "/bank/questions/new": ["topic"],
    "/admin/people": ["q", "unit", "sub", "category", "leader", "status", "role", "page"],
    "/admin/audit": ["group", "user", "since", "until", "page"],
    "/admin/people/new": ["unit"],
    "/manage/exams/new": ["copy"],
    "/stats/": ["year", "exam", "unit"],
    "/stats/people": ["year", "exam", "unit", "who", "category", "leader"],
    "/stats/missing": ["year", "exam", "unit"],
    "/stats/missing.csv": ["year", "exam", "unit"],
    "/stats/items": ["year", "exam", "unit", "flagged"],
    "/stats/report": ["year", "exam", "unit"],
    "/stats/report.docx": ["year", "exam", "unit", "missing"],
    "/stats/cadre/{cadre3}": ["year", "exam", "unit"],
    "/stats/exams/{exam}/transcript": ["year", "exam", "unit"],
}
GOOD_VALUES = {"type": "single", "status": "all", "law": "宪法", "flag": "hard", "sort": "-code", "format": "csv",
               "who": "missing", "category": "village_cadre", "group": "login", "since": "2026-03-01",
               "until": "2026-03-02", "year": "2026", "leader": "1", "sub": "0", "role": "trainer"}
RAW_QUERIES = ["%", "%ZZ", "%FF%FE", "a=%00", "page=%C0%AF", "=&=&", "&&&", "q", "q[]=1&q[]=2", "a" * 5000 + "=1",
               "year=2026&year=1999&year=9999", "unit=1&unit=2", "page=" + "9" * 50, "%E5%AE%AA%E6%B3%95=1"]


def query(names: list[str], ids: dict[str, int]) -> st.SearchStrategy[str]:
    known = st.dictionaries(st.sampled_from(names), st.one_of(
        value(), st.sampled_from([str(ids[n]) for n in ("exam", "other_exam", "township", "other_township",
                                                         "village", "county", "cadre3")]),
        st.sampled_from(list(GOOD_VALUES.values()))), max_size=len(names))
    return st.one_of(known.map(urlencode), st.sampled_from(RAW_QUERIES),
                     st.tuples(known.map(urlencode), st.sampled_from(RAW_QUERIES)).map("&".join))


@fuzz_settings(60)
@given(data=st.data())
def test_staff_query_strings(admin: Visitor, ids: dict[str, int], data: st.DataObject) -> None:
    page = data.draw(st.sampled_from(sorted(STAFF_PAGES)))
    path = page.format(cadre3=ids["cadre3"], exam=ids["exam"])
    admin.get(path + "?" + data.draw(query(STAFF_PAGES[page], ids)))


CADRE_PAGES = {"/practice/question": ["topic", "type", "wrong", "after", "code"], "/practice/": [],
               "/laws/": [], "/laws/宪法": ["part", "missing"], "/laws/民法典": ["part"], "/laws/宪法/article": ["n"],
               "/exams": [], "/exams/{exam}": [], "/api/attempts/{attempt}/state": []}


@fuzz_settings(40)
@given(data=st.data())
def test_cadre_query_strings(cadre: Visitor, ids: dict[str, int], data: st.DataObject) -> None:
    page = data.draw(st.sampled_from(sorted(CADRE_PAGES)))
    path = page.format(exam=ids["exam"], attempt=1)
    cadre.get(path + "?" + data.draw(query(CADRE_PAGES[page] + ["x"], ids)))


PATHS = ["/laws/{}", "/laws/{}/article", "/bank/questions/{}", "/bank/questions/{}/edit", "/stats/report.{}",
         "/stats/missing.{}", "/admin/people/import/passwords/{}", "/exams/{}", "/attempts/{}", "/manage/exams/{}",
         "/admin/people/{}", "/stats/certificate/{}/1"]


@fuzz_settings(40)
@given(template=st.sampled_from(PATHS), segment=st.one_of(value(), st.sampled_from(["TXF-0001", "宪法", "xlsx", "1"])))
def test_ids_and_names_in_paths(admin: Visitor, template: str, segment: str) -> None:
    admin.get(template.format(quote(segment, safe="") or "x"))


# ----------------------------------------------------------------------------------------------
# The JSON API: autosave and practice
# ----------------------------------------------------------------------------------------------

@fuzz_settings(60)
@given(data=st.data())
def test_autosave_api(cadre: Visitor, attempt: tuple[int, list[int]], data: st.DataObject) -> None:
    attempt_id, items = attempt
    kind = data.draw(st.sampled_from(["shaped", "shaped", "shaped", "any", "raw", "wrong content type"]))
    path = f"/api/attempts/{attempt_id}/answers"
    if kind == "raw":
        cadre.post_json(path, raw=data.draw(st.one_of(st.sampled_from(RAW_JSON), st.binary(max_size=200))))
        return
    if kind == "any":
        cadre.post_json(path, data.draw(JSON))
        return
    body = data.draw(st.fixed_dictionaries(
        {"item_id": st.one_of(st.sampled_from(items), JSON), "answer": st.one_of(
            st.sampled_from([[0], [1, 2], [], True, False, None, [0, 0], [-1], [99], [2**63]]), JSON)},
        optional={"extra": JSON, "saved_at": JSON}))
    if kind == "wrong content type":
        cadre.post_json(path, raw=json.dumps(body).encode(), content_type="text/plain")
    else:
        cadre.post_json(path, body)


@fuzz_settings(40)
@given(data=st.data())
def test_practice_api(app: Flask, cadre: Visitor, data: st.DataObject) -> None:
    with app.app_context(), session_scope(app) as s:
        versions = list(s.scalars(select(QuestionVersion.id).limit(20)))
    kind = data.draw(st.sampled_from(["shaped", "shaped", "any", "raw"]))
    if kind == "raw":
        cadre.post_json("/api/practice/answer", raw=data.draw(st.sampled_from(RAW_JSON)))
        return
    if kind == "any":
        cadre.post_json("/api/practice/answer", data.draw(JSON))
        return
    body = data.draw(st.fixed_dictionaries(
        {"version_id": st.one_of(st.sampled_from(versions), JSON),
         "answer": st.one_of(st.sampled_from([[0], [0, 1], [], True, False, None, [5], ["A"]]), JSON)},
        optional={"extra": JSON}))
    cadre.post_json("/api/practice/answer", body)


def test_the_attempt_fixture_is_the_cadres_own(app: Flask, attempt: tuple[int, list[int]], ids: dict[str, int]) -> None:
    """The autosave fuzzing talks to an attempt the cadre may save to (else it tests only the 404)."""
    with app.app_context(), session_scope(app) as s:
        mine = s.get(Attempt, attempt[0])
        assert mine is not None and mine.user_id == ids["cadre"] and mine.status == "in_progress" and attempt[1]


@pytest.fixture(autouse=True)
def _no_leftover_handlers(app: Flask) -> Iterator[None]:
    yield
    assert not any(isinstance(h, Collect) for h in app.logger.handlers)


# ----------------------------------------------------------------------------------------------
# What the fuzzing found, pinned so that it fails every run until it is fixed
# ----------------------------------------------------------------------------------------------

def test_found_a_multipart_part_without_a_name_is_a_400_not_a_500(anonymous: Visitor) -> None:
    """No login needed: a CSRF token from the login page and one nameless part in the body."""
    boundary = "quizappfuzz"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{anonymous.token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{boundary}--\r\n").encode()
    anonymous.send("POST", "/login", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("name", ["duration_minutes", "max_attempts", "rules-0-count"])
def test_found_a_huge_whole_number_in_the_exam_form_is_a_form_error(trainer: Visitor, ids: dict[str, int],
                                                                   topic_ids: list[int], name: str) -> None:
    trainer.post("/manage/exams/new", {**exam_fields(ids, topic_ids[0]), name: "9" * 400})


def test_found_a_huge_number_of_extra_attempts_is_a_message(trainer: Visitor, ids: dict[str, int]) -> None:
    trainer.post(f"/manage/exams/{ids['exam']}/makeup", {"user_ids": str(ids["leader"]), "mode": "extra",
                                                         "extra": "9" * 400})


def test_found_the_editor_without_its_empty_option_fields_is_a_form_error(trainer: Visitor) -> None:
    """A browser sends all six option fields; a script or an old page may send only the filled ones."""
    body = {k: v for k, v in EDITOR.items() if v is not None and k not in ("options-2", "options-3", "options-4",
                                                                          "options-5")}
    trainer.post("/bank/questions/new", body)
    trainer.post("/bank/questions/TXF-0003/edit", body)


def test_found_a_unit_form_without_a_parent_is_a_form_error(admin: Visitor, ids: dict[str, int]) -> None:
    """Today scoped_unit(None): a SAWarning (an error under pytest), else a misleading 404."""
    for path in ("/admin/units", f"/admin/units/{ids['township']}"):
        response = admin.post(path, {"name": "驻村工作队", "kind": "work_team"})
        assert response.status_code in (200, 400), (path, response.status_code)

"""Roster import: every spelling offices use, every problem with its row and column, all or nothing."""
import io

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from quizapp.formats.tabular import TableError, read_table, write_xlsx
from quizapp.models import AuditEvent, ExamExaminee, User
from quizapp.services import roster_import as svc

HEADER = "姓名,账号,单位,职务,人员类别,是否领导干部\n"


def plan(db, world, text: str, name: str = "roster.csv", encoding: str = "utf-8", scope="township"):
    table = read_table(text.encode(encoding), name)
    return svc.plan_import(db, table, getattr(world, scope) if scope else None)


def problems(p) -> list[tuple[int, str, str]]:
    return [(x.row, x.column, x.message) for x in p.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_windows_saves(db, world, encoding) -> None:
    p = plan(db, world, HEADER + "孙丽,sunli,示例乡/东风村委会,村委会委员,村（社区）干部,否\n", encoding=encoding)
    assert problems(p) == [] and [(x.record.full_name, x.unit.path, x.status) for x in p.people] == [
        ("孙丽", "示例县/示例乡/东风村委会", "new")]


def test_headers_in_any_order_and_the_phone_as_the_account(db, world) -> None:
    text = "是否领导干部,单位,手机号,姓名\n是,东风村委会,13912345678,钱多\nY,乡直机关,13912345679,钱少\n1,河口村委会,13912345670,钱三\n,河口村委会,13912345671,钱四\n"
    p = plan(db, world, text)
    assert problems(p) == []
    assert [(x.record.username, x.record.phone, x.record.is_leader, x.record.category) for x in p.people] == [
        ("13912345678", "13912345678", True, "other"), ("13912345679", "13912345679", True, "other"),
        ("13912345670", "13912345670", True, "other"), ("13912345671", "13912345671", False, "other")]


def test_every_problem_is_named_with_its_row_and_column(db, world) -> None:
    text = HEADER + "\n".join([
        "孙丽,sunli,示例乡/东风村委会,村委会委员,村(社区)干部,否",   # row 2: fine (ASCII parentheses)
        "孙丽,SUNLI,示例乡/东风村委会,村委会委员,,否",              # row 3: the same account again
        ",nobody,南山村委会,,公务员,否",                          # row 4: no name, unknown unit
        "周全,zhou quan,示例乡,科员,农民,也许",                    # row 5: bad account, category, flag
        "吴用,wuyong,西山村委会,科员,公务员,否",                    # row 6: outside the township
        "郑和,outsider,东风村委会,科员,公务员,否",                  # row 7: an account of 邻近镇
    ]) + "\n"
    assert problems(plan(db, world, text)) == [
        (3, "账号", "账号“SUNLI”与第 2 行重复"),
        (4, "姓名", "姓名不能为空"),
        (4, "单位", "找不到单位“南山村委会”（或不在您的管理范围内）"),
        (5, "账号", "账号须为 2 到 32 位字母、数字或 _ . @ -，以字母或数字开头"),
        (5, "人员类别", "人员类别“农民”无效，应为：公务员、参公事业人员、事业人员、村（社区）干部、驻村工作队员、其他"),
        (5, "是否领导干部", "“也许”无法识别，请填 是 或 否"),
        (6, "单位", "找不到单位“西山村委会”（或不在您的管理范围内）"),
        (7, "账号", "账号“outsider”已被其他单位的人员使用"),
    ]


def test_a_bad_phone_and_missing_columns(db, world) -> None:
    p = plan(db, world, "姓名,手机号,单位\n钱多,1391234567,东风村委会\n")
    assert problems(p) == [(2, "手机号", "手机号“1391234567”不是 11 位手机号码")]
    header_only = plan(db, world, "姓名,职务\n钱多,科员\n")
    assert problems(header_only) == [(1, "表头", "缺少“单位”列"),
                                     (1, "表头", "缺少“账号”列（或用“手机号”列作为账号）")]


def test_the_preview_tells_new_changed_and_unchanged(db, world) -> None:
    text = HEADER + "\n".join([
        "用户cadre1,cadre1,示例乡/乡直机关,科员,公务员,否",          # as it is
        "用户cadre2,cadre2,示例乡/河口村委会,村委会主任,村（社区）干部,是",  # moved
        "孙丽,sunli,东风村委会,村委会委员,村（社区）干部,否",          # new
    ]) + "\n"
    p = plan(db, world, text)
    assert p.summary() == {"new": 1, "changed": 1, "unchanged": 1, "problems": []}
    changed = next(x for x in p.people if x.status == "changed")
    assert changed.changes == {"单位": ["示例县/示例乡/东风村委会", "示例县/示例乡/河口村委会"]}


def test_applying_writes_everything_with_one_time_passwords(db, world, clock) -> None:
    text = HEADER + "用户cadre2,cadre2,河口村委会,村委会主任,村（社区）干部,是\n孙丽,sunli,东风村委会,村委会委员,村（社区）干部,否\n"
    p = plan(db, world, text)
    passwords = svc.new_passwords(p)
    created = svc.apply_import(db, p, passwords, world.township_admin.id, clock())
    assert [(a.full_name, a.username, a.unit_path) for a in created] == [("孙丽", "sunli", "示例县/示例乡/东风村委会")]
    sunli = db.scalar(select(User).where(User.username == "sunli"))
    assert sunli.must_change_password and check_password_hash(sunli.password_hash, created[0].password)
    assert db.get(User, world.cadre2.id).org_unit_id == world.village2.id
    # The exam that is open now expects 孙丽, who joined 东风村委会 during its window.
    row = db.scalar(select(ExamExaminee).where(ExamExaminee.user_id == sunli.id, ExamExaminee.exam_id == world.exam.id))
    assert row.joined_during_window
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "roster.import"))
    assert event.detail == {"new": 1, "changed": 1, "unchanged": 0}


def test_the_password_sheet_holds_each_new_person(db, world, clock) -> None:
    from openpyxl import load_workbook

    created = [svc.NewAccount(2, "孙丽", "sunli", "示例乡/东风村委会", "Abc12345xyz9")]
    sheet = load_workbook(io.BytesIO(svc.passwords_xlsx(created, "2026-03-02 09:00")))["初始密码表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "单位", "账号", "初始密码")
    assert rows[1] == ("孙丽", "示例乡/东风村委会", "sunli", "Abc12345xyz9")


def test_the_template_imports_as_it_is(db, world) -> None:
    data = svc.template_xlsx(["示例乡/乡直机关", "示例乡/东风村委会"])
    p = svc.plan_import(db, read_table(data, "模板.xlsx"), world.township)
    assert p.summary() == {"new": 2, "changed": 0, "unchanged": 0, "problems": []}


def test_an_xlsx_with_numbers_and_formulas_is_read_as_the_person_sees_it(db, world) -> None:
    data = write_xlsx({"名单": [["姓名", "手机号", "单位", "是否领导干部"],
                                ["钱多", 13912345678, "东风村委会", 1], ["=HYPERLINK(\"x\")", 13912345679, "东风村委会", 0]]})
    p = svc.plan_import(db, read_table(data, "名单.xlsx"), world.township)
    assert [(x.record.full_name, x.record.username, x.record.is_leader) for x in p.people] == [
        ("钱多", "13912345678", True), ("=HYPERLINK(\"x\")", "13912345679", False)]


def test_a_file_with_one_bad_row_writes_nothing(db, world, clock) -> None:
    before = db.scalar(select(func.count()).select_from(User))
    p = plan(db, world, HEADER + "孙丽,sunli,东风村委会,,,\n周全,zhouquan,南山村,,,\n")
    assert not p.accepted and problems(p) == [(3, "单位", "找不到单位“南山村”（或不在您的管理范围内）")]
    with pytest.raises(AssertionError):
        svc.apply_import(db, p, {}, None, clock())
    assert db.scalar(select(func.count()).select_from(User)) == before


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "a.csv", "文件是空的"),
    (b"   \n", "a.xlsx", "文件是空的"),
    ("姓名,单位\n".encode(), "a.csv", "文件只有表头，没有数据行"),
    (b"\n\n\xe5\xa7\x93,x\n", "a.csv", "第 1 行应为表头（列名），但它是空的"),
    (b"PK\x03\x04garbage", "a.xlsx", "文件已损坏，无法作为 .xlsx 打开"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "photo.xlsx", "文件不是有效的 .xlsx 文件（可能是改了扩展名的其他文件）"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "photo.csv", "文件不是文本格式的 CSV（可能是改了扩展名的其他文件）"),
    (b"\xff\xfe\xfa\xfb" * 10, "a.csv", "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV"),
    (b"whatever", "a.xls", "不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 后再导入"),
    (b"whatever", "a.pdf", "只能导入 .xlsx 或 .csv 文件"),
])
def test_files_that_are_not_what_they_claim(data: bytes, name: str, message: str) -> None:
    with pytest.raises(TableError) as caught:
        read_table(data, name)
    assert str(caught.value) == message


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(TableError) as caught:
        read_table(out.getvalue(), "bomb.xlsx")
    assert str(caught.value) == "文件解压后过大，拒绝打开（可能是恶意构造的压缩文件）"

"""The roster's rules on their own: one person's data, a file's headers, a row's cells."""
import pytest

from quizapp.domain.roster import (
    PersonRecord,
    match_headers,
    parse_leader,
    person_problems,
    record_from_cells,
)
from quizapp.domain.vocab import Category, Role, UnitKind


def person(**changes) -> PersonRecord:
    values = dict(full_name="张三", username="zhangsan", phone="", unit_text="示例乡", position="科员",
                  category="other", is_leader=False)
    values.update(changes)
    return PersonRecord(**values)


@pytest.mark.parametrize(("changes", "problems"), [
    ({}, {}),
    ({"full_name": "张" * 32, "position": "职" * 64}, {}),
    ({"full_name": "张" * 33}, {"full_name": "姓名不超过 32 个字"}),
    ({"position": "职" * 65}, {"position": "职务不超过 64 个字"}),
    ({"full_name": "", "username": ""}, {"full_name": "姓名不能为空", "username": "账号不能为空（没有账号时可用手机号）"}),
    ({"username": "a"}, {"username": "账号须为 2 到 32 位字母、数字或 _ . @ -，以字母或数字开头"}),
    ({"username": "a" * 32, "phone": "13800138000"}, {}),
    ({"phone": "23800138000"}, {"phone": "手机号“23800138000”不是 11 位手机号码"}),
    ({"category": "保安"}, {"category": "人员类别无效"}),
])
def test_person_problems_by_field(changes: dict, problems: dict) -> None:
    assert person_problems(person(**changes)) == problems


def test_headers_match_by_name_with_spaces_and_required_marks() -> None:
    found, problems = match_headers(["序号", " 姓 名 ", "备注", "所在单位＊", "手机号码*", "是否领导干部"])
    assert found == {"full_name": 1, "unit_text": 3, "phone": 4, "is_leader": 5} and problems == []
    assert match_headers(["", None, "姓名", "单位", "账号"])[0] == {"full_name": 2, "unit_text": 3, "username": 4}


def test_header_problems_name_the_column() -> None:
    assert match_headers(["姓名", "单位", "账号", "用户名"])[1] == ["“账号”列出现了两次"]
    assert match_headers(["职务"])[1] == ["缺少“姓名”列", "缺少“单位”列", "缺少“账号”列（或用“手机号”列作为账号）"]


@pytest.mark.parametrize(("text", "value"), [
    ("是", True), ("Y", True), ("yes", True), ("1", True), (" TRUE ", True), ("√", True),
    ("否", False), ("n", False), ("0", False), ("", False), ("×", False), ("也许", None),
])
def test_leader_spellings(text: str, value: bool | None) -> None:
    assert parse_leader(text) is value


def test_a_row_becomes_a_record_with_the_phone_as_account() -> None:
    record, problems = record_from_cells({"full_name": " 李四 ", "phone": "13900139000", "unit_text": "东风村委会",
                                          "category": "村(社区)干部", "is_leader": "是"})
    assert problems == []
    assert record == PersonRecord("李四", "13900139000", "13900139000", "东风村委会", "", "village_cadre", True)


def test_a_row_with_problems_gives_no_record_and_names_each_column() -> None:
    record, problems = record_from_cells({"full_name": "李四", "unit_text": "", "category": "农民",
                                          "is_leader": "也许"})
    assert record is None
    assert problems == [
        ("人员类别", "人员类别“农民”无效，应为：公务员、参公事业人员、事业人员、村（社区）干部、驻村工作队员、其他"),
        ("是否领导干部", "“也许”无法识别，请填 是 或 否"),
        ("账号", "账号不能为空（没有账号时可用手机号）"),
        ("单位", "单位不能为空"),
    ]
    bad_account = record_from_cells({"full_name": "李四", "username": "李", "unit_text": "乡"})[1]
    assert bad_account == [("账号", "账号须为 2 到 32 位字母、数字或 _ . @ -，以字母或数字开头")]
    bad_phone = record_from_cells({"full_name": "李四", "phone": "1-23", "unit_text": "乡"})[1]
    assert [c for c, _ in bad_phone] == ["手机号"]  # a valid account, not a phone number


def test_every_list_of_values_has_its_labels_and_check() -> None:
    assert Category.from_label(" 村 （社区） 干部 ") is Category.VILLAGE_CADRE
    assert Category.from_label("village_cadre") is Category.VILLAGE_CADRE
    assert Category.from_label("干部") is None
    assert Role.check("role") == "role IN ('cadre', 'trainer', 'admin')"
    assert UnitKind.labels()["work_team"] == "驻村工作队" and UnitKind("community").label == "居委会"

"""GIFT and Moodle XML as Moodle writes them: single, multiple and true/false questions read,
categories as topics, general feedback as the explanation, every other type listed as skipped."""
from __future__ import annotations

from quizapp.domain.questions import QuestionDraft
from quizapp.formats.bank_gift import read_gift
from quizapp.formats.bank_moodle import read_moodle_xml

from . import GOOD

DUTIES = ("依照法律纳税", "参加宗教活动", "维护国家统一和全国各民族团结")


def test_gift_single_multiple_and_true_false_with_categories_and_feedback() -> None:
    read = read_gift((GOOD / "questions.gift").read_bytes(), "questions.gift", "未选专题")
    assert read.problems == []
    assert [(q.row, q.draft) for q in read.questions] == [
        (1, QuestionDraft("宪法", "single", "根据宪法，中华人民共和国的一切权力属于（　）。",
                          ("人民", "全国人民代表大会", "国务院", "各级人民政府"), "A",
                          "宪法第二条第一款规定，中华人民共和国的一切权力属于人民。", (), 2, (), "XF-0201")),
        # weights: the answers with a positive weight are the right ones
        (2, QuestionDraft("宪法", "multiple", "根据宪法，下列属于公民基本义务的有（　）。", DUTIES, "AC",
                          "宪法第五十六条、第五十二条分别规定了这两项义务。", (), 2, (), None)),
        (3, QuestionDraft("宪法", "true_false", "根据宪法，全国人民代表大会每届任期五年。", (), "true",
                          "宪法第六十条规定，全国人民代表大会每届任期五年。", (), 2, (), None)),
        # {FALSE#feedback if wrong#feedback if right####general feedback}
        (4, QuestionDraft("宪法", "true_false", "根据宪法，全国人民代表大会每届任期十年。", (), "false",
                          "宪法第六十条规定每届任期五年，不是十年。", (), 2, (), None)),
        # $CATEGORY: $course$/top/法律/民法典 -> 民法典; Moodle's [html] text without its tags
        (6, QuestionDraft("民法典", "single", "十八周岁以上的自然人为（　）。", ("成年人", "未成年人"), "A",
                          "民法典第十七条规定，十八周岁以上的自然人为成年人。", (), 2, (), None)),
    ]
    assert read.skipped == ["论述（论述题）", "匹配（匹配题）", "数值（数值题）", "简答（简答题）", "填空（填空题）"]


def test_gift_without_a_category_goes_into_the_chosen_topic() -> None:
    text = "::判断::根据宪法，全国人民代表大会每届任期五年。{TRUE####宪法第六十条规定每届任期五年。}\n"
    (question,) = read_gift(text.encode(), "a.gift", "宪法").questions
    assert (question.draft.topic, question.draft.answer) == ("宪法", "true")


def test_moodle_xml_multichoice_single_and_multiple_and_truefalse() -> None:
    read = read_moodle_xml((GOOD / "questions.xml").read_bytes(), "questions.xml", "未选专题")
    assert read.problems == []
    assert [(q.row, q.draft) for q in read.questions] == [
        # HTML taken off, entities decoded; Moodle tags are tags; the question's name its code
        (1, QuestionDraft("宪法", "single", "根据宪法，中华人民共和国的国家机构实行（　）的原则。",
                          ("民主集中制", "三权分立", "地方自治 & 首长负责制"), "A",
                          "宪法第三条第一款规定，国家机构实行民主集中制的原则。", (), 2, ("国家机构", "基本原则"),
                          "XF-0301")),
        (2, QuestionDraft("宪法", "multiple", "根据宪法，下列属于公民基本义务的有（　）。", DUTIES, "AC",
                          "宪法第五十六条、第五十二条分别规定了这两项义务。", (), 2, (), None)),
        (3, QuestionDraft("宪法", "true_false", "根据宪法，全国人民代表大会每届任期五年。", (), "true",
                          "宪法第六十条规定，全国人民代表大会每届任期五年。", (), 2, (), None)),
        (6, QuestionDraft("民法典", "true_false", "不满十八周岁的自然人为成年人。", (), "false",
                          "民法典第十七条规定，不满十八周岁的自然人为未成年人。", (), 2, ("民事主体",), "MF-0301")),
    ]
    # The names trainers gave them, and the type in Chinese
    assert read.skipped == ["法治意义（论述题）", "法律配对（匹配题）", "根本大法（简答题）", "宪法条数（数值题）",
                            "根本大法填空（完形填空题）"]


def test_moodle_xml_without_a_category_goes_into_the_chosen_topic() -> None:
    xml = ('<?xml version="1.0" encoding="UTF-8"?><quiz><question type="truefalse"><name><text>x</text></name>'
           '<questiontext><text>根据宪法，全国人民代表大会每届任期五年。</text></questiontext>'
           '<generalfeedback><text>宪法第六十条规定每届任期五年。</text></generalfeedback>'
           '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
           '</question></quiz>')
    (question,) = read_moodle_xml(xml.encode(), "a.xml", "宪法").questions
    assert (question.draft.topic, question.draft.answer, question.draft.code) == ("宪法", "true", None)


def test_files_holding_only_unsupported_types_say_what_was_skipped() -> None:
    gift = read_gift("::论述::请论述基层治理法治化的意义。{}\n".encode(), "a.gift", "宪法")
    assert (gift.questions, gift.problems, gift.skipped) == ([], [], ["论述（论述题）"])
    xml = read_moodle_xml(b'<quiz><question type="essay"><name><text>E</text></name></question></quiz>', "a.xml", "x")
    assert (xml.questions, xml.problems, xml.skipped) == ([], [], ["E（论述题）"])

"""The question editor's form: every field a question has, the legal basis as rows."""
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from ...domain.laws import LAWS
from ...domain.questions import LETTERS, TYPE_LABELS
from ..forms import ChineseForm
from ..manage.forms import CheckboxesField, choices

BASIS_ROWS = 3  # rows an empty editor offers; a question shows all of its own and one more
MAX_BASIS_ROWS = 50  # more is a crafted request, refused rather than cut short


class BasisForm(Form):
    class Meta:
        locales = ("zh",)

    law = SelectField("法律", choices=choices([("", "（不引用）")] + [(name, name) for name in LAWS]),
                      validate_choice=False)
    article = StringField("条款", validators=[Optional(), Length(max=16)], description="如 17 或 第十七条、序言")
    quote = TextAreaField("法条原文", validators=[Optional(), Length(max=2000)])


class QuestionForm(ChineseForm):
    topic = StringField("专题", validators=[Length(max=64, message="专题不超过 64 字")])
    qtype = SelectField("题型", choices=choices(TYPE_LABELS.items()), default="single")
    stem = TextAreaField("题干", validators=[Length(max=2000, message="题干不超过 2000 字")])
    options = FieldList(StringField("选项", validators=[Length(max=500, message="选项不超过 500 字")]),
                        min_entries=len(LETTERS), max_entries=len(LETTERS))
    answer_letters = CheckboxesField("正确选项", choices=choices((c, c) for c in LETTERS), validate_choice=False)
    answer_truth = RadioField("正确答案", choices=choices([("true", "正确"), ("false", "错误")]), validate_choice=False)
    explanation = TextAreaField("解析", validators=[Length(max=4000, message="解析不超过 4000 字")])
    difficulty = SelectField("难度", choices=choices([("1", "易"), ("2", "中"), ("3", "难")]), default="2")
    tags = StringField("知识点/标签", validators=[Length(max=200)], description="多个用顿号或逗号分开")
    basis = FieldList(FormField(BasisForm), min_entries=BASIS_ROWS)
    sources = FieldList(StringField("其他依据（非法条，如发布机关及文件名）",
                                    validators=[Length(max=200, message="其他依据每条不超过 200 字")]), min_entries=1)
    exam_only = BooleanField("考试专用（不出现在学法练习中）")
    base_version = HiddenField()
    confirm = BooleanField("已看过上面的提示，仍要保存")


class ImportForm(ChineseForm):
    topic = StringField("文件没有“专题”列时，导入到专题", validators=[Length(max=64)])
    exam_only = BooleanField("新题标为考试专用")


class ReplyForm(ChineseForm):
    reply = TextAreaField("处理意见", validators=[Length(max=1000)])
    resolve = BooleanField("标为已处理")


class ReportForm(ChineseForm):
    message = TextAreaField("题目哪里有问题", validators=[Length(max=1000)])
    next = HiddenField()



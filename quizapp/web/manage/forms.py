from collections.abc import Iterable
from decimal import Decimal

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; the stubs are 3.2's
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...domain.timing import MAX_EXAM_MINUTES
from ...domain.vocab import CountedAttempt, ExemptionKind, ExemptionReason
from ...models import EXAM_KINDS, MULTIPLE_SCORING, REVIEW_POLICIES, TYPE_LABELS
from ..forms import BoundedIntegerField, ChineseForm, DateTimeInRange, FiniteDecimalField, db_id

# The picker's format, and what people type where a browser has no picker.
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 select choices."""
    return [SelectChoice(value, label) for value, label in pairs]
RULE_ROWS = 6


class RuleForm(Form):
    class Meta:
        locales = ("zh",)

    """One row of random-paper rules; a row with no topic is ignored."""

    topic_id = SelectField("专题", coerce=db_id, validate_choice=False)
    qtype = SelectField("题型", choices=choices(TYPE_LABELS.items()), validate_choice=False)
    count = BoundedIntegerField("题数", validators=[Optional(), NumberRange(1, 500, "题数应在 1 到 500 之间")])
    points = FiniteDecimalField("每题分值", places=2,
                          validators=[Optional(), NumberRange(Decimal("0.01"), 100, "分值应在 0.01 到 100 之间")])


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ExamForm(ChineseForm):
    title = StringField("考试名称", validators=[DataRequired("请填写考试名称"), Length(max=200)])
    kind = SelectField("考试类型", choices=choices(EXAM_KINDS.items()), default="law_study")
    description = TextAreaField("考试说明", validators=[Optional(), Length(max=2000)])
    opens_at = DateTimeInRange("开始时间", format=DT_FORMATS,
                                  validators=[InputRequired("请填写开始时间")])
    closes_at = DateTimeInRange("截止时间", format=DT_FORMATS,
                                   validators=[InputRequired("请填写截止时间")])
    duration_minutes = BoundedIntegerField("考试时长（分钟）", default=60, validators=[
        InputRequired("请填写考试时长"), NumberRange(1, MAX_EXAM_MINUTES, f"考试时长应在 1 到 {MAX_EXAM_MINUTES} 分钟之间")])
    pass_mark = FiniteDecimalField("及格分", default=Decimal(60), places=2, validators=[
        InputRequired("请填写及格分"), NumberRange(0, 1000, "及格分应在 0 到 1000 之间")])
    max_attempts = BoundedIntegerField("允许作答次数", default=1, validators=[
        InputRequired("请填写允许作答次数"), NumberRange(1, 20, "允许作答次数应在 1 到 20 之间")])
    shuffle_questions = BooleanField("每位考生题目顺序随机", default=True)
    shuffle_options = BooleanField("每位考生选项顺序随机", default=True)
    review_policy = SelectField("答案与解析", choices=choices(REVIEW_POLICIES.items()),
                                default="after_close")
    multiple_scoring = SelectField("多选题计分", choices=choices(MULTIPLE_SCORING.items()),
                                   default="all_or_nothing")
    counted_attempt = SelectField("多次作答时的成绩", choices=choices(CountedAttempt.labels().items()),
                                  default=CountedAttempt.BEST)
    paper_mode = RadioField("组卷方式", choices=choices([("random", "按规则随机抽题"), ("fixed", "固定题目")]),
                            default="random")
    exam_only_pool = BooleanField("只从“考试专用”的题目中抽题（这些题不出现在练习中，考生无法事先看到答案）")
    rules = FieldList(FormField(RuleForm), min_entries=RULE_ROWS, max_entries=30)
    fixed_codes = TextAreaField("固定题目题号（每行一个，或用逗号、空格分隔）",
                                validators=[Optional(), Length(max=20000)])
    fixed_points = FiniteDecimalField("固定试卷每题分值", default=Decimal(1), places=2,
                                validators=[Optional(), NumberRange(Decimal("0.01"), 100)])
    # The service says which units are out of scope, in words a trainer understands.
    unit_ids = CheckboxesField("参考单位（含下级单位）", coerce=db_id, validate_choice=False)


class ExamLimitedForm(ChineseForm):
    """What may still change once someone has started: nothing that could change a result."""

    title = StringField("考试名称", validators=[DataRequired("请填写考试名称"), Length(max=200)])
    description = TextAreaField("考试说明", validators=[Optional(), Length(max=2000)])
    closes_at = DateTimeInRange("截止时间（只能推后）", format=DT_FORMATS,
                                   validators=[InputRequired("请填写截止时间")])
    review_policy = SelectField("答案与解析（只能放宽）", choices=choices(REVIEW_POLICIES.items()))
    unit_ids = CheckboxesField("参考单位（只能增加）", coerce=db_id, validate_choice=False)


class ReopenForm(ChineseForm):
    closes_at = DateTimeInRange("新的截止时间", format=DT_FORMATS, validators=[InputRequired("请填写新的截止时间")])


class ExemptionForm(ChineseForm):
    user_ids = SelectMultipleField("人员", coerce=db_id, validate_choice=False)
    action = SelectField("操作", choices=choices([("set", "设为免考/缓考"), ("clear", "取消免考/缓考")]), default="set")
    kind = SelectField("类型", choices=choices(ExemptionKind.labels().items()), default=ExemptionKind.EXEMPT)
    reason = SelectField("原因", choices=choices(ExemptionReason.labels().items()), default=ExemptionReason.SICK_LEAVE)
    note = StringField("说明", validators=[Optional(), Length(max=200, message="说明不超过 200 字")])
    approved_by = StringField("批准人", validators=[Optional(), Length(max=64, message="批准人不超过 64 字")])


class MakeupForm(ChineseForm):
    user_ids = SelectMultipleField("人员", coerce=db_id, validate_choice=False)
    mode = RadioField("补考方式", choices=choices([("extra", "在本次考试中增加作答次数"), ("copy", "另建一场补考（只限所选人员）")]),
                      default="copy")
    extra = BoundedIntegerField("增加次数", default=1, validators=[Optional(), NumberRange(1, 10, "增加的作答次数应在 1 到 10 之间")])
    opens_at = DateTimeInRange("补考开始时间", format=DT_FORMATS, validators=[Optional()])
    closes_at = DateTimeInRange("补考截止时间", format=DT_FORMATS, validators=[Optional()])

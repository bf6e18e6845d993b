"""Forms of the admin's pages: units, people, leaving, the roster file."""
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...domain.vocab import Category, LeaveReason, Role, UnitKind
from ..forms import ChineseForm, DateInRange, db_id
from ..manage.forms import choices


class UnitForm(ChineseForm):
    name = StringField("单位名称", validators=[DataRequired("请填写单位名称"), Length(max=100, message="单位名称不超过 100 字")])
    kind = SelectField("单位类型", choices=choices(UnitKind.labels().items()), default=UnitKind.VILLAGE)
    parent_id = SelectField("上级单位", coerce=db_id, validate_choice=False,
                            validators=[InputRequired("请选择上级单位")])


class PersonForm(ChineseForm):
    full_name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=32, message="姓名不超过 32 个字")])
    username = StringField("账号", validators=[DataRequired("请填写账号（可以用手机号）"), Length(max=32)],
                           description="用于登录；没有专门的账号时可以填手机号")
    phone = StringField("手机号", validators=[Optional(), Length(max=20)])
    unit_id = SelectField("单位", coerce=db_id, validate_choice=False)
    position = StringField("职务", validators=[Optional(), Length(max=64, message="职务不超过 64 个字")])
    category = SelectField("人员类别", choices=choices(Category.labels().items()), default=Category.OTHER)
    is_leader = BooleanField("领导干部")
    role = SelectField("角色", choices=choices(Role.labels().items()), default=Role.CADRE)


class LeaveForm(ChineseForm):
    reason = SelectField("离职原因", choices=choices(LeaveReason.labels().items()), default=LeaveReason.TRANSFERRED)
    on = DateInRange("离职日期", validators=[InputRequired("请填写离职日期")])


class RosterFileForm(ChineseForm):
    file = FileField("人员名单文件（.xlsx 或 .csv）", validators=[
        FileRequired("请选择要导入的文件"),
        FileAllowed(["xlsx", "csv"], "只能导入 .xlsx 或 .csv 文件")])

"""The base form: WTForms' built-in messages in Chinese."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, DecimalField, IntegerField

from ..errors import InvalidInput
from .params import MAX_ID

T = TypeVar("T")


class ChineseForm(FlaskForm):
    class Meta:
        locales = ("zh",)


def first_errors(form: FlaskForm) -> str:
    """All of a small action form's messages in one line, for a refused button."""
    return "；".join(m for messages in form.errors.values() for m in messages)


def required(data: T | None) -> T:
    """The data of a field its validators require (InputRequired, DataRequired) once the form
    has validated: WTForms types every field's data as optional."""
    if data is None:
        raise InvalidInput("请填写所有必填项")
    return data


def db_id(value: Any) -> int:
    """A select's id as WTForms coerces it: refused (a form error) when no row could have it."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError("id out of range")
    return number


class FiniteDecimalField(DecimalField):
    """A number field that refuses NaN, sNaN and Infinity, which Decimal accepts."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError("请输入数字")


class BoundedIntegerField(IntegerField):
    """A whole number of at most nine digits: larger ones are never meant, and WTForms'
    NumberRange cannot even compare them (a float overflow)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > 9:
            self.data = None
            raise ValueError("数字过大")
        super().process_formdata(valuelist)


class DateTimeInRange(DateTimeLocalField):
    """A local date and time between the years 2000 and 2100 (year 0001 cannot become UTC)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, datetime) and not 2000 <= self.data.year <= 2100:
            self.data = None
            raise ValueError("日期应在 2000 年至 2100 年之间")


class DateInRange(DateField):
    """A date between the years 2000 and 2100."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, date) and not 2000 <= self.data.year <= 2100:
            self.data = None
            raise ValueError("日期应在 2000 年至 2100 年之间")

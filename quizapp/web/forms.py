"""The base form: WTForms' built-in messages in Chinese."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, DecimalField

from .params import MAX_ID


class ChineseForm(FlaskForm):
    class Meta:
        locales = ("zh",)


def first_errors(form: FlaskForm) -> str:
    """All of a small action form's messages in one line, for a refused button."""
    return "；".join(m for messages in form.errors.values() for m in messages)


def db_id(value: object) -> int:
    """A select's id as WTForms coerces it: refused (a form error) when no row could have it."""
    number = int(value)  # type: ignore[call-overload]
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

"""The base form: WTForms' built-in messages in Chinese."""
from flask_wtf import FlaskForm


class ChineseForm(FlaskForm):
    class Meta:
        locales = ("zh",)


def first_errors(form: FlaskForm) -> str:
    """All of a small action form's messages in one line, for a refused button."""
    return "；".join(m for messages in form.errors.values() for m in messages)

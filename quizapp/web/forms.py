"""The base form: WTForms' built-in messages in Chinese."""
from flask_wtf import FlaskForm


class ChineseForm(FlaskForm):
    class Meta:
        locales = ("zh",)

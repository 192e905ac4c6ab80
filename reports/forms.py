from django import forms
from django.utils.translation import gettext_lazy as _


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("总结正文"), max_length=500_000, widget=forms.Textarea(attrs={"rows": 28, "class": "summary-text"})
    )
    highlights = forms.MultipleChoiceField(label=_("工作亮点"), required=False, widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, choices: list[str], chosen: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Highlights chosen earlier stay available even if the ledger changed since.
        options = list(dict.fromkeys([*chosen, *choices]))
        self.fields["highlights"].choices = [(c, c) for c in options]

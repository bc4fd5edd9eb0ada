from django import forms


class JustificationForm(forms.Form):
    """The planning office's justification of one finding (validated by the service)."""

    key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    text = forms.CharField(label="Giustificazione", required=False, widget=forms.Textarea)


class RuleJustificationForm(forms.Form):
    """One justification for every open error finding of a rule."""

    rule = forms.CharField(max_length=20, widget=forms.HiddenInput)
    text = forms.CharField(label="Giustificazione comune", required=False, widget=forms.Textarea)

from django import forms


class JustificationForm(forms.Form):
    """The planning office's justification of one finding (validated by the service)."""

    key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    text = forms.CharField(label="Giustificazione", required=False, widget=forms.Textarea)

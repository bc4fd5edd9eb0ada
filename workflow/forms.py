from django import forms

from .models import Remark


class NoteForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Nota", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_missing = forms.BooleanField(required=False)


class GapForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput, max_length=60)
    text = forms.CharField(
        label="Giustificazione", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ValidationForm(forms.Form):
    statement = forms.CharField(
        label="Attestazione di validazione",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Il testo della validazione della Relazione da parte dell'OIV.",
    )
    date = forms.DateField(
        label="Data della validazione",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RevisionForm(forms.Form):
    new_target = forms.CharField(label="Nuovo risultato atteso", max_length=60)
    reason = forms.CharField(
        label="Motivazione", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    act_reference = forms.CharField(
        label="Atto", max_length=200, help_text="Es. delibera di Giunta n. 45/2023"
    )
    act_date = forms.DateField(
        label="Data dell'atto",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    internal = forms.BooleanField(label="Motivazione riservata (non pubblicata)", required=False)


class RemarkForm(forms.Form):
    text = forms.CharField(
        label="Osservazione", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    indicator = forms.IntegerField(required=False, widget=forms.HiddenInput)
    operational_objective = forms.IntegerField(required=False, widget=forms.HiddenInput)
    strategic_objective = forms.IntegerField(required=False, widget=forms.HiddenInput)
    section = forms.ChoiceField(label="Sezione", choices=Remark.SECTIONS, required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Risposta", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

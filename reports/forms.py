from django import forms

from .models import Narrative


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Narrative
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "class": "form-control"})}
        help_texts = {"body": "Testo in Markdown: titoli con #, elenchi con -, grassetto con **."}

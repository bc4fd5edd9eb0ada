from django import forms

from indicators.forms import VersionedForm
from narratives.models import Narrative


class NarrativeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Narrative
        fields = ["title", "body"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "form-control"}),
        }
        help_texts = {
            "body": "Testo in Markdown: titoli con #, elenchi con -, grassetto con **. Una tabella "
            "o un grafico si inserisce nel PDF con un segnaposto su una riga a sé, ad esempio "
            "[[tabella:personale-aree]] o [[grafico:ateco_sections]]: il numero è automatico."
        }

from django import forms

from indicators.forms import VersionedForm
from indicators.workbook import MAX_UPLOAD_BYTES

from . import context


class ResourcesUploadForm(forms.Form):
    file = forms.FileField(
        label="File Excel (.xlsx)",
        help_text=(
            "Il file scaricato da questa pagina, compilato "
            f"(max {MAX_UPLOAD_BYTES // (1024 * 1024)} MB)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )


PASTE_HELP = "Incolla la tabella dal foglio di calcolo: la prima riga sono le intestazioni"


class ContextTableForm(VersionedForm):
    """A context table as title, source and pasted text. The text is parsed here for the
    preview; the service parses it again before writing."""

    title = forms.CharField(
        label="Titolo", max_length=250, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    source = forms.CharField(
        label="Fonte",
        max_length=250,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    text = forms.CharField(
        label="Tabella",
        strip=False,
        help_text=(
            f"{PASTE_HELP} (celle separate da tabulazioni, oppure da punto e virgola); la prima "
            "cella di ogni riga è l'etichetta. Numeri all'italiana: 1.284 · -1,4 · 9,4%; una "
            "cella vuota resta vuota."
        ),
        widget=forms.Textarea(
            attrs={"rows": 14, "class": "form-control font-monospace", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        self.parsed: context.ParsedTable | None = None
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": instance.title,
                    "source": instance.source,
                    "text": context.format_table(instance.columns, instance.rows),
                },
            )
        super().__init__(*args, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            self.parsed = context.parse_table(text)
        except context.ParseError as exc:
            raise forms.ValidationError(exc.errors) from None
        return text


class ContextTableCreateForm(ContextTableForm):
    key = forms.CharField(
        label="Codice",
        max_length=60,
        required=False,
        help_text=(
            "Facoltativo: lettere minuscole, cifre e _ (es. forze_lavoro). Se vuoto è ricavato "
            "dal titolo. Identifica la tabella nei controlli di coerenza e non si modifica."
        ),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    field_order = ["title", "key", "source", "text"]


class ContextTableDeleteForm(VersionedForm):
    """Only the version of the table as the confirmation page showed it."""

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

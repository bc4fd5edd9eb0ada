from django import forms

from indicators.workbook import MAX_UPLOAD_BYTES


class ResourcesUploadForm(forms.Form):
    file = forms.FileField(
        label="File Excel (.xlsx)",
        help_text=(
            "Il file scaricato da questa pagina, compilato "
            f"(max {MAX_UPLOAD_BYTES // (1024 * 1024)} MB)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )

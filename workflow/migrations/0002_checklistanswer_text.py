"""Each checklist answer keeps the item's text as the OIV answered it, filled here from the
items' texts of today (those every year has shown up to now)."""

from django.db import migrations, models


def copy_item_text(apps, schema_editor):
    ChecklistAnswer = apps.get_model("workflow", "ChecklistAnswer")
    for answer in ChecklistAnswer.objects.select_related("item"):
        answer.text = answer.item.text
        answer.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="checklistanswer",
            name="text",
            field=models.CharField(default="", max_length=400, verbose_name="verifica come risposta"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_item_text, migrations.RunPython.noop),
    ]

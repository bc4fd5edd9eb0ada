from django.urls import reverse
from django.utils.html import format_html

from dashboards.tables import ScorecardTable


class PublicScorecardTable(ScorecardTable):
    """The cruscotto table of the dashboards, linking to the public indicator pages."""

    def render_indicator(self, record, value):
        url = reverse("public:indicator", args=[self.ente, self.year, record.indicator.id])
        return format_html('<a href="{}">{}</a>', url, value)

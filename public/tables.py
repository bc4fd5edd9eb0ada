from dashboards.tables import ScorecardTable


class PublicScorecardTable(ScorecardTable):
    """The cruscotto table of the dashboards, linking to the public indicator pages."""

    indicator_url = "public:indicator"

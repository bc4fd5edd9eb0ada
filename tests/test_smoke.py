from objectives.models import Scorecard


def test_demo_has_every_cruscotto_of_the_document(cycle):
    counts = {
        section: Scorecard.objects.filter(cycle=cycle, section=section).count()
        for section in ("2.2", "2.3", "2.4", "3")
    }
    assert counts == {"2.2": 12, "2.3": 4, "2.4": 10, "3": 2}

from django.conf import settings


def site(request):
    return {"SITE_LICENSE": settings.RELAZIONE["OPEN_DATA_LICENSE"]}

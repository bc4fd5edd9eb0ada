import time

from django.core.management.base import BaseCommand

from reports.services import pdf_job_claim, pdf_job_run


class Command(BaseCommand):
    help = "Elabora le richieste di generazione del PDF in coda (reports.PdfJob)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Elabora la coda ed esce")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Attesa tra i controlli (s)"
        )

    def handle(self, *args, once=False, interval=2.0, **options):
        while True:
            job = pdf_job_claim()
            if job is None:
                if once:
                    return
                time.sleep(interval)
                continue
            job = pdf_job_run(job.id)
            self.stdout.write(f"{job}: {job.message}")

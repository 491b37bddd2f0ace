from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from partnership.demo.personas import PERSONAS, totp_key


class Command(BaseCommand):
    help = "Print the demo accounts' current two-factor codes and their secrets."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are only for a local demo (DEBUG on).")
        self.stdout.write(f"{'account':<42} {'code now':<9} secret for an authenticator app")
        for persona in PERSONAS:
            if not persona.roles or persona.roles == ("practitioner",):
                continue
            key = unhexlify(totp_key(persona.email))
            code = f"{TOTP(key).token():06d}"
            secret = b32encode(key).decode().rstrip("=")
            self.stdout.write(f"{persona.email:<42} {code:<9} {secret}")
        self.stdout.write("Codes change every 30 seconds.")

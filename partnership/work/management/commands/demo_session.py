from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

from partnership.accounts.models import User


class Command(BaseCommand):
    help = (
        "Print a session cookie signed in as a demo account (second factor passed), for "
        "measuring signed-in pages (make lighthouse). Refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: this would hand out a signed-in session.")
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account for {email}")
        store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        device = next(iter(devices_for_user(user)), None)
        if device is not None:
            store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.create()
        self.stdout.write(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")

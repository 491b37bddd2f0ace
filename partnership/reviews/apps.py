from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "partnership.reviews"
    label = "reviews"
    verbose_name = "Case reviews"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        for link in (
            ("reviews.access", "reviews:reviews", "Reviews", "/reviews/"),
            ("reviews.access", "reviews:deadlines", "Deadlines", "/reviews/deadlines/"),
        ):
            if link not in NAV_LINKS:
                NAV_LINKS.append(link)

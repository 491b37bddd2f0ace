from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "partnership.reviews"
    label = "reviews"

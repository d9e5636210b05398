"""The rows the visibility rule reads: each page's effective audience and
scope, the schools a district news item is reserved to, and the token naming
this database in the cache. The tables keep their first names (``home_…``):
the models moved here from ``home`` without touching the data."""

from django.db import models

from wagtail.models import Page

from visibility.audience import Audience


class PageAudience(models.Model):
    """The effective audience of an audience-bearing page and its scope.

    Kept up to date from the pages (``visibility.audience.refresh_audiences``) so
    that visibility is one indexed filter. Scopes are translation keys: a
    translation shares its source's scope.
    """

    page = models.OneToOneField(
        Page,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="audience_info",
    )
    audience = models.CharField(max_length=16, choices=Audience.choices)
    school_key = models.UUIDField(null=True, blank=True)
    classroom_key = models.UUIDField(null=True, blank=True)

    class Meta:
        db_table = "home_pageaudience"
        indexes = [
            models.Index(
                fields=["audience", "school_key", "classroom_key"],
                name="page_audience_scope",
            ),
            models.Index(fields=["classroom_key"], name="page_audience_class"),
        ]

    def __str__(self):
        return f"{self.page_id}: {self.audience}"


class PageTarget(models.Model):
    """A school a district news item is reserved to (``NewsPage.target_schools``),
    by translation key: a targeted page is visible only in those schools."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="targets")
    school_key = models.UUIDField()

    class Meta:
        db_table = "home_pagetarget"
        constraints = [
            models.UniqueConstraint(fields=["page", "school_key"], name="one_target")
        ]

    def __str__(self):
        return f"{self.page_id} → {self.school_key}"

    @classmethod
    def keep(cls, page, keys):
        """Reserve ``page`` to the schools of translation keys ``keys`` (none:
        the whole district)."""
        keys = set(keys)
        cls.objects.filter(page=page).exclude(school_key__in=keys).delete()
        cls.objects.bulk_create(
            [cls(page=page, school_key=key) for key in keys], ignore_conflicts=True
        )


class DatabaseIdentity(models.Model):
    """One row: a random token naming this database's content, part of every
    cache key, renewed when the content is replaced (``visibility.cache_keys``)."""

    token = models.CharField(max_length=32)

    class Meta:
        db_table = "home_databaseidentity"

    def __str__(self):
        return self.token

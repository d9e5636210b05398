"""A change of the school holidays changes the dates visitors see: the
visitors' page cache is dropped (``visibility.cache``)."""

from django.db.models.signals import post_delete, post_save

from agenda.models import SchoolHoliday
from visibility.cache import forget_everything

for signal in (post_save, post_delete):
    signal.connect(forget_everything, sender=SchoolHoliday, weak=False)

"""A pupil deleted while still present (« Supprimer » in the pupils list)
leaves as one who left: their families' access ends at once, and a family
with no child left is departing from today. Once a pupil is deleted, the
audit log keeps what happened to them, not their name."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from wagtail.models import ModelLogEntry

from departures.access import end_family_access, present
from departures.models import Departure
from departures.schedule import families_only
from pupils.models import Pupil


@receiver(pre_delete, sender=Pupil)
def deleted_pupil_leaves(sender, instance, **kwargs):
    if instance.left_on is not None:
        return
    school_id = instance.classroom.get_parent().pk
    for family in instance.families.all():
        end_family_access(family, school_id, leaving=instance)
        others = present(Pupil.objects.filter(families=family)).exclude(pk=instance.pk)
        if (
            not others.exists()
            and families_only(type(family).objects.filter(pk=family.pk)).exists()
        ):
            Departure.objects.get_or_create(
                user=family,
                defaults={
                    "kind": Departure.Kind.FAMILY,
                    "left_on": datetime.date.today(),
                },
            )


@receiver(post_delete, sender=Pupil)
def forget_the_name_in_the_log(sender, instance, **kwargs):
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Pupil),
        object_id=str(instance.pk),
    ).update(label=_("Deleted pupil no. %(pk)s") % {"pk": instance.pk})

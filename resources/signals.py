"""The library gets its group and collection (``accounts.provisioning``)
when it is saved."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import provisioning
from accounts.signals import needs_provisioning
from resources.models import ResourceIndexPage


@receiver(post_save, sender=ResourceIndexPage)
def provision_library(sender, instance, update_fields, **kwargs):
    if needs_provisioning(instance, update_fields):
        provisioning.provision_library(instance)

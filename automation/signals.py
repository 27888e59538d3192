"""Alert detection on write: an account saved open for the first time or
closed, and a new statement. Runs after the transaction commits, so an alert
never tells of a change that was rolled back."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from registry.models import Account, Statement


@receiver(pre_save, sender=Account)
def _remember_closed_on(sender, instance, raw=False, **kwargs):
    # Only a save that sets a close date can be a closing: 1 query then, none otherwise.
    if raw or instance.pk is None or instance.closed_on is None:
        instance._previous_closed_on = None
        return
    instance._previous_closed_on = Account.objects.filter(pk=instance.pk).values_list("closed_on", flat=True).first()


@receiver(post_save, sender=Account)
def _account_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from automation import alerts

    previous = getattr(instance, "_previous_closed_on", None)
    opened = created and instance.closed_on is None
    closed = instance.closed_on is not None and previous is None and not created
    if not (opened or closed):
        return
    transaction.on_commit(lambda: alerts.account_changed(instance, previous_closed_on=previous, created=created))


@receiver(post_save, sender=Statement)
def _statement_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    from automation import alerts

    transaction.on_commit(lambda: alerts.statement_saved(instance))

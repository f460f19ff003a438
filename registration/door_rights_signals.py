"""Keeps cached door rights true: any change of who may work which door forgets the accounts' cached rights.

Signals, not direct calls, because door rights also change where this app does not control the code: the
Wagtail user editor (groups, superuser flag, deletion) and group membership changed from either side."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .checkin import forget_door_rights
from .models import DoorAssignment


def _forget_now_and_after_commit(user_ids):
    # Forget at once and again after the commit: a request reading between the change and its commit would
    # otherwise cache the old rights again.
    user_ids = list(user_ids)
    if user_ids:
        forget_door_rights(*user_ids)
        transaction.on_commit(lambda: forget_door_rights(*user_ids))


def _assignment_changed(sender, instance, **kwargs):
    _forget_now_and_after_commit([instance.user_id])


def _user_changed(sender, instance, **kwargs):
    _forget_now_and_after_commit([instance.pk])


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """user.groups.add(...) (instance is a user) or group.user_set.add(...) (reverse: instance is a group)."""
    if action == "pre_clear" and reverse:
        _forget_now_and_after_commit(instance.user_set.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        _forget_now_and_after_commit((pk_set or []) if reverse else [instance.pk])


def _group_deleted(sender, instance, **kwargs):
    _forget_now_and_after_commit(instance.user_set.values_list("pk", flat=True))


def connect():
    """Called once from RegistrationConfig.ready."""
    User = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(_assignment_changed, sender=DoorAssignment, dispatch_uid="door-rights-assignment")
        signal.connect(_user_changed, sender=User, dispatch_uid="door-rights-user")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="door-rights-groups")
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="door-rights-group")

"""What happens to a proposal: made from a form, changed, sent for review, withdrawn. Each runs in one
transaction and raises ProposalError with a code when the call or the proposal does not allow it."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ProposalStatus
from .models import Proposal


class ProposalError(Exception):
    MESSAGES = {
        "closed": _("The call for proposals is closed: nothing was saved."),
        "not_open": _("The call for proposals is not open yet: nothing was saved."),
        "not_editable": _("This proposal can no longer be changed."),
    }

    def __init__(self, code):
        self.code = code
        super().__init__(str(self.MESSAGES[code]))

    @property
    def message(self):
        return self.MESSAGES[self.code]


def check_open(call, now):
    if call.has_closed(now):
        raise ProposalError("closed")
    if not call.is_open(now):
        raise ProposalError("not_open")


def create_proposal(*, call, user, fields, submit, form_key, language, now=None):
    """A new proposal from a valid form; the same form sent again returns the proposal it made the first time.
    Returns (proposal, created)."""
    now = now or timezone.now()
    check_open(call, now)
    status = ProposalStatus.SUBMITTED if submit else ProposalStatus.DRAFT
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                call=call,
                submitter=user,
                form_key=form_key,
                status=status,
                submitted_at=now if submit else None,
                language_of_emails=language,
                **fields,
            )
    except IntegrityError:
        # The same form arrived twice at once: the first insert won, the second waited for it and meets the
        # constraint. Both answers name the one proposal.
        return Proposal.objects.get(submitter=user, form_key=form_key), False
    return proposal, True


def update_proposal(*, proposal_id, user, fields, submit, now=None):
    """Save the submitter's changes; `submit` also sends a draft for review. A submitted proposal stays submitted."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _own_for_update(proposal_id, user)
        check_open(proposal.call, now)
        if not proposal.editable(now):
            raise ProposalError("not_editable")
        for name, value in fields.items():
            setattr(proposal, name, value)
        if submit and proposal.status == ProposalStatus.DRAFT:
            proposal.status = ProposalStatus.SUBMITTED
            proposal.submitted_at = now
        proposal.save()
    return proposal


def withdraw_proposal(*, proposal_id, user, now=None):
    """The submitter takes the proposal back; a withdrawn proposal stays withdrawn (and on their page)."""
    with transaction.atomic():
        proposal = _own_for_update(proposal_id, user)
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
            raise ProposalError("not_editable")
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.save(update_fields=["status", "updated_at"])
    return proposal


def _own_for_update(proposal_id, user):
    # Only the submitter's own: another's id is as unknown as a missing one.
    return Proposal.objects.select_for_update().select_related("call").get(pk=proposal_id, submitter=user)

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accdesk.access import accounts, lockout
from accdesk.access.models import User
from accdesk.agency import notices
from accdesk.agency.forms import (
    DesignationDetailsForm,
    DesignationForm,
    DesignationKindForm,
    MembershipForm,
    NewMemberForm,
    NoticeSentForm,
    ProfileForm,
)
from accdesk.agency.models import Agency, Designation, DojNotice, Membership, Role
from accdesk.agency.permissions import ACTIONS
from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may


def _back_to_profile(request: AgencyRequest) -> HttpResponse:
    return redirect("agency:profile", ori=request.agency.ori)


@agency_view("agency.view")
def profile(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    designations = agency.designations.all()
    current = {d.kind: d for d in designations if d.is_current and d.kind != "other"}
    context = {
        "current": [
            (kind, Designation.Kind(kind).label, current.get(kind))
            for kind in Designation.SINGLE_HOLDER
        ],
        "others": [d for d in designations if d.kind == "other" and d.is_current],
        "history": [d for d in designations if not d.is_current],
        "notices": agency.notices.all()[:50],
        "can_edit": may(request, "agency.edit"),
    }
    return render(request, "agency/profile.html", context)


@agency_view("agency.edit")
def edit_profile(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    form = ProfileForm(request.POST or None, instance=agency, today=agency.today())
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        # The ModelForm already copied the values onto ``agency``; reload it so the
        # change (and the old values for the notice) are computed from the database.
        agency.refresh_from_db()
        notice = notices.update_profile(
            agency, values, form.cleaned_data["effective_on"]
        )
        if notice:
            messages.warning(
                request,
                "The change must be reported to DOJ: a notice is ready to print.",
            )
            return redirect("agency:notice", ori=agency.ori, pk=notice.pk)
        messages.success(request, "Agency profile saved.")
        return _back_to_profile(request)
    return render(request, "agency/profile_form.html", {"form": form})


@agency_view("agency.edit")
def designate(request: AgencyRequest, kind: str = "") -> HttpResponse:
    agency = request.agency
    if kind and kind not in Designation.Kind.values:
        return _back_to_profile(request)
    form_class = DesignationForm if kind else DesignationKindForm
    form = form_class(request.POST or None, today=agency.today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, notice = notices.designate(
                agency,
                kind or data["kind"],
                name=data["name"],
                title=data["title"],
                phone=data["phone"],
                email=data["email"],
                effective_on=data["effective_on"],
            )
        except ValueError as exc:
            form.add_error("effective_on", str(exc))
        else:
            if notice:
                messages.warning(
                    request,
                    "The change must be reported to DOJ: a notice is ready to print.",
                )
                return redirect("agency:notice", ori=agency.ori, pk=notice.pk)
            messages.success(request, "Saved.")
            return _back_to_profile(request)
    label = Designation.Kind(kind).label if kind else "Add a contact"
    return render(
        request, "agency/designation_form.html", {"form": form, "label": label}
    )


@agency_view("agency.edit")
def edit_designation(request: AgencyRequest, pk: int) -> HttpResponse:
    holder = agency_object_or_404(request, Designation, pk=pk, ends_on__isnull=True)
    form = DesignationDetailsForm(request.POST or None, instance=holder)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Contact details of {holder.name} saved.")
        return _back_to_profile(request)
    return render(
        request,
        "agency/designation_form.html",
        {"form": form, "label": f"{holder.get_kind_display()}: {holder.name}"},
    )


@agency_view("agency.edit")
@require_POST
def end_designation(request: AgencyRequest, pk: int) -> HttpResponse:
    """Remove an "other" contact (kept in history); designated roles are replaced."""
    holder = agency_object_or_404(
        request, Designation, pk=pk, ends_on__isnull=True, kind=Designation.Kind.OTHER
    )
    holder.ends_on = request.agency.today()
    holder.save(update_fields=["ends_on"])
    return _back_to_profile(request)


@agency_view("agency.view")
def notice(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(
        request, DojNotice.objects.select_related("sent_by"), pk=pk
    )
    form = NoticeSentForm(today=request.agency.today())
    return render(
        request,
        "agency/notice.html",
        {
            "notice": item,
            "form": form,
            "can_send": may(request, "notices.send"),
        },
    )


@agency_view("notices.send")
@require_POST
def notice_sent(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, DojNotice, pk=pk, sent_on__isnull=True)
    form = NoticeSentForm(request.POST, today=request.agency.today())
    if form.is_valid():
        notices.mark_sent(
            item,
            form.cleaned_data["sent_on"],
            request.user,
            form.cleaned_data["sent_how"],
        )
        messages.success(request, "Recorded as sent to DOJ; the task is closed.")
        return redirect("dashboard:agency", ori=request.agency.ori)
    return render(
        request,
        "agency/notice.html",
        {"notice": item, "form": form, "can_send": True},
        status=400,
    )


@agency_view("members.view")
def members(request: AgencyRequest) -> HttpResponse:
    rows = Membership.objects.filter(agency=request.agency).select_related("user")
    return render(
        request,
        "agency/members.html",
        {
            "memberships": rows,
            "can_manage": may(request, "members.manage"),
            "today": request.agency.today(),
        },
    )


@agency_view("members.manage")
def add_member(request: AgencyRequest) -> HttpResponse:
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(email=data["email"]).first()
        if user is not None and user.memberships.filter(agency=request.agency).exists():
            form.add_error("email", "This user is already a member of the agency.")
        elif user is not None and not _account_is_ours(user, request.agency):
            form.add_error("email", _OTHER_AGENCY)
        else:
            password = None
            with transaction.atomic():
                if user is None:
                    user, password = accounts.create_user(
                        data["email"], data["first_name"], data["last_name"]
                    )
                Membership.objects.create(
                    user=user,
                    agency=request.agency,
                    role=data["role"],
                    expires_on=data["expires_on"],
                    employee_id=data["employee_id"],
                )
            return render(
                request,
                "agency/member_added.html",
                {"member": user, "password": password},
            )
    return render(
        request, "agency/member_form.html", {"form": form, "title": "Add a user"}
    )


@agency_view("members.manage")
def edit_member(request: AgencyRequest, pk: int) -> HttpResponse:
    membership = agency_object_or_404(
        request, Membership.objects.select_related("user"), pk=pk
    )
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{membership.user.email}: access updated.")
        return redirect("agency:members", ori=request.agency.ori)
    return render(
        request,
        "agency/member_form.html",
        {"form": form, "title": membership.user.email, "membership": membership},
    )


@agency_view("members.manage")
@require_POST
def remove_member(request: AgencyRequest, pk: int) -> HttpResponse:
    membership = agency_object_or_404(
        request, Membership.objects.select_related("user"), pk=pk
    )
    if membership.user_id == request.user.pk:
        messages.error(request, "You cannot remove your own access.")
    else:
        membership.delete()
        messages.success(request, f"{membership.user.email} no longer has access.")
    return redirect("agency:members", ori=request.agency.ori)


@agency_view("members.manage")
@require_POST
def unlock_member(request: AgencyRequest, pk: int) -> HttpResponse:
    membership = agency_object_or_404(
        request, Membership.objects.select_related("user"), pk=pk
    )
    if not _account_is_ours(membership.user, request.agency):
        messages.error(request, _OTHER_AGENCY)
    elif membership.user.is_locked:
        lockout.unlock(membership.user, agency_id=request.agency.pk)
        messages.success(request, f"{membership.user.email} is unlocked.")
    return redirect("agency:members", ori=request.agency.ori)


# A sign-in account shared with another agency is not this agency's to take over or
# unlock: otherwise one agency's ACC could add another's user and reset their
# lockout (AC-7) at will.
_OTHER_AGENCY = (
    "This person also uses ACC Desk with another agency: the server operator manages "
    "their account (accdesk user add / accdesk user unlock)."
)


def _account_is_ours(user: User, agency: Agency) -> bool:
    """Whether the agency's ACC may manage this sign-in account: it belongs to no
    other agency and is not an installation superuser."""
    return (
        not user.is_superuser and not user.memberships.exclude(agency=agency).exists()
    )


@agency_view("dashboard.view")
def permissions(request: AgencyRequest) -> HttpResponse:
    """Who can do what: rendered from the registry (agency/permissions.py)."""
    rows = [
        (action, [role for role in Role if role in action.roles])
        for action in ACTIONS.values()
    ]
    return render(request, "agency/permissions.html", {"rows": rows})
